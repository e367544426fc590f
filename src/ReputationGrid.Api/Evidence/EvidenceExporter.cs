using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Audit;
using ReputationGrid.Api.Auth;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Evidence;

/// <summary>One evidence export: the ZIP's bytes and the name to give the file.</summary>
public sealed record EvidenceExport(byte[] Zip, string FileName);

/// <summary>
/// Builds a case's evidence export (<see cref="EvidencePackage"/>): for every account and entity of the case what the
/// service knows of it, the case's notes, evidence items with their files, and its history of changes, views and exports;
/// a manifest with every part's SHA-256, signed with the configured key. The export is recorded in the case's audit
/// trail before it is built, so its history holds the export itself.
/// </summary>
public sealed class EvidenceExporter(
    IGrainFactory grains, AccountGrains accounts, EnforcementRecords records, AuditTrail audit, Callers callers, EvidenceSigner signer, TimeProvider time)
{
    private const int PageSize = 500;
    private static readonly GatewayJsonContext Json = new(new JsonSerializerOptions(GatewayJsonContext.Default.Options) { WriteIndented = true });

    /// <summary>The case's export; null when there is no such case. Throws when no signing key is configured (<see cref="EvidenceSigner.CanSign"/>).</summary>
    public async Task<EvidenceExport?> ExportAsync(HttpContext context, string id)
    {
        if (!signer.CanSign)
        {
            throw new InvalidOperationException("No evidence signing key is configured (Evidence:SigningKeyPath).");
        }

        if (await grains.GetGrain<ICaseGrain>(id).GetAsync() is not { } view)
        {
            return null;
        }

        var subject = AuditTrail.CaseSubject(id);
        await audit.RecordAsync(context, subject, "case.export", new Dictionary<string, string>());
        var exportedAt = time.GetUtcNow();
        var parts = new List<(string Path, byte[] Content)>();
        void Add<T>(string path, T value, JsonTypeInfo<T> type) => parts.Add((path, JsonSerializer.SerializeToUtf8Bytes(value, type)));

        Add("case.json", CaseResponse.From(view), Json.CaseResponse);
        var history = await ReadAllAsync(subject);
        Add("history.json", new ExportHistoryPart(subject, Array.ConvertAll(history, AuditEntryResponse.From)), Json.ExportHistoryPart);

        var policyVersions = new SortedSet<string>(StringComparer.Ordinal);
        var links = new List<ExportAccountLink>();
        for (var i = 0; i < view.Accounts.Length; i++)
        {
            var member = view.Accounts[i];
            var current = await accounts.Get(member.Id).GetViewAsync();
            var timeline = await records.ReadAllAsync(member.Id);
            policyVersions.UnionWith(timeline.Select(entry => entry.Record.PolicyVersion));
            links.AddRange(current.Links.Select(link => new ExportAccountLink(
                member.Id, link.Entity, link.Since, DecisionResponse.Names(link.Reasons), Array.Exists(view.Entities, e => e.Id == link.Entity))));
            Add(
                $"accounts/{i + 1:0000}-{EvidencePackage.Segment(member.Id)}.json",
                new ExportAccountPart(member.Id, member.AddedAt, member.AddedBy, AccountResponse.From(current), [.. timeline.Select(EnforcementEntryResponse.From)]),
                Json.ExportAccountPart);
        }

        var entityMembers = new List<ExportEntityAccounts>();
        for (var i = 0; i < view.Entities.Length; i++)
        {
            var member = view.Entities[i];
            var current = await ReadEntityAsync(member.Id);
            entityMembers.Add(new ExportEntityAccounts(
                member.Id, [.. current.Accounts.Select(a => a.Account)], [.. current.Accounts.Select(a => a.Account).Where(a => Array.Exists(view.Accounts, m => m.Id == a))]));
            Add(
                $"entities/{i + 1:0000}-{EvidencePackage.Segment(member.Id)}.json",
                new ExportEntityPart(member.Id, member.AddedAt, member.AddedBy, EntityResponse.From(current)),
                Json.ExportEntityPart);
        }

        Add("links.json", new ExportLinksPart([.. links], [.. entityMembers]), Json.ExportLinksPart);

        var policies = new List<ExportPolicy>();
        var policy = grains.GetGrain<IPolicyGrain>(IPolicyGrain.Key);
        foreach (var (version, index) in policyVersions.Select((v, i) => (v, i + 1)))
        {
            var kept = await policy.GetVersionAsync(version);
            var path = kept is null ? null : $"policies/{index:0000}-{EvidencePackage.Segment(version)}.json";
            policies.Add(new ExportPolicy(version, kept?.Author, kept?.At, path));
            if (kept is not null)
            {
                parts.Add((path!, Encoding.UTF8.GetBytes(kept.Document)));
            }
        }

        Add("policies.json", policies.ToArray(), Json.ExportPolicyArray);

        foreach (var item in view.Evidence.Where(item => item.FileName is not null))
        {
            var file = await grains.GetGrain<ICaseGrain>(id).GetFileAsync(item.Number) ?? [];
            parts.Add(($"evidence/{item.Number:0000}-{EvidencePackage.Segment(item.FileName!)}", file));
        }

        parts.Add(("README.txt", Encoding.UTF8.GetBytes(Readme(view, exportedAt))));
        parts.Add((EvidencePackage.PublicKeyName, Encoding.UTF8.GetBytes(signer.PublicKeyPem!)));

        var manifest = EvidencePackage.Write(new EvidenceManifest(
            EvidencePackage.Format, id, exportedAt, callers.Actor(context), EvidencePackage.SignatureAlgorithm, signer.Fingerprint!,
            [.. parts.Select(part => new EvidencePart(part.Path, EvidencePackage.Sha256(part.Content), part.Content.Length))]));
        var signature = Encoding.ASCII.GetBytes(Convert.ToBase64String(signer.Sign(manifest)));

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in parts.Append((EvidencePackage.ManifestName, manifest)).Append((EvidencePackage.SignatureName, signature)))
            {
                var entry = archive.CreateEntry(path, CompressionLevel.Optimal);
                entry.LastWriteTime = exportedAt;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return new EvidenceExport(zip.ToArray(), $"{EvidencePackage.Segment(id)}-evidence.zip");
    }

    private async Task<AuditEntry[]> ReadAllAsync(string subject)
    {
        var entries = new List<AuditEntry>();
        long? before = null;
        do
        {
            var page = await audit.ReadAsync(subject, before, PageSize);
            entries.AddRange(page.Entries);
            before = page.Next;
        }
        while (before is not null);

        entries.Reverse();
        return [.. entries];
    }

    /// <summary>The entity with every account it lists, read a page at a time.</summary>
    private async Task<EntityView> ReadEntityAsync(string key)
    {
        var entity = grains.GetGrain<IEntityGrain>(key);
        var first = await entity.GetViewAsync(0, PageSize);
        var listed = new List<LinkedAccountView>(first.Accounts);
        while (listed.Count < first.ListedAccounts)
        {
            var page = await entity.GetViewAsync(listed.Count, PageSize);
            if (page.Accounts.Length == 0)
            {
                break; // accounts left the list while it was read
            }

            listed.AddRange(page.Accounts);
        }

        return first with { Accounts = [.. listed] };
    }

    private string Readme(CaseView view, DateTimeOffset exportedAt) => $"""
        ReputationGrid evidence export
        ==============================

        Case:        {view.Id} ({view.Name})
        Opened:      {view.OpenedAt:O} by {view.OpenedBy}
        Exported:    {exportedAt:O}
        Accounts:    {view.Accounts.Length}
        Entities:    {view.Entities.Length}
        Notes:       {view.Notes.Length}
        Evidence:    {view.Evidence.Length} item(s)

        What this holds
        ---------------
        case.json             the case: its accounts and entities (each with when and by whom it was added), the
                              investigators' notes, and the off-platform evidence items (source, when seen, who recorded
                              them, and the SHA-256 of each attached file or link)
        history.json          the case's history: who opened it, changed it, viewed it and exported it, and when
        accounts/*.json       for every account: its standing now, its links, and its complete enforcement timeline
                              (every change of standing and every action, with its time, action, reasons, the features
                              and risk points behind it, the policy version, and for manual actions the operator and note)
        entities/*.json       for every entity (device, network, content fingerprint): the accounts linked to it, its
                              counters, risk and history
        links.json            the links between the case's accounts and entities
        policies.json         every policy version the timelines name; policies/*.json holds each version's text
                              (a version the service no longer keeps is listed without a text)
        evidence/*            the files attached to evidence items
        {EvidencePackage.PublicKeyName,-21} the public key the manifest is signed with
        {EvidencePackage.ManifestName,-21} the SHA-256 and size of every part above
        {EvidencePackage.SignatureName,-21} the manifest's signature: {EvidencePackage.SignatureAlgorithm}

        All times are UTC (RFC 3339). The service's enforcement timelines are kept for the retention the platform sets
        (Evidence:Retention); changes older than that are not in them.

        No message content
        ------------------
        ReputationGrid never receives the content of any message: it scores accounts from events about messaging
        (counts, recipients' ids, whether a recipient is a contact, an opaque fingerprint of the content). This export
        therefore holds no message content, and none exists in the service to export.

        Checking it
        -----------
          reputationgrid evidence verify FILE.zip --public-key PUBLISHED-KEY.pem

        checks every part against the manifest and the manifest's signature, offline. The key's fingerprint (SHA-256 of
        its SubjectPublicKeyInfo) is {signer.Fingerprint}.
        """;
}

internal sealed record ExportHistoryPart(string Subject, AuditEntryResponse[] Entries);

internal sealed record ExportAccountPart(string Account, DateTimeOffset AddedToCaseAt, string AddedBy, AccountResponse Current, EnforcementEntryResponse[] Enforcement);

internal sealed record ExportEntityPart(string Entity, DateTimeOffset AddedToCaseAt, string AddedBy, EntityResponse Current);

internal sealed record ExportLinksPart(ExportAccountLink[] AccountLinks, ExportEntityAccounts[] EntityAccounts);

/// <param name="EntityInCase">Whether the entity is in the case too.</param>
internal sealed record ExportAccountLink(string Account, string Entity, DateTimeOffset Since, string[] Reasons, bool EntityInCase);

/// <param name="AccountsInCase">Those of the entity's accounts that are in the case too.</param>
internal sealed record ExportEntityAccounts(string Entity, string[] Accounts, string[] AccountsInCase);

/// <param name="Path">The part holding the version's text; null when the service no longer keeps the version.</param>
internal sealed record ExportPolicy(string Version, string? Author, DateTimeOffset? At, string? Path);
