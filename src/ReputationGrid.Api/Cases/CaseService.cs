using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Audit;
using ReputationGrid.Api.Auth;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Cases;

/// <summary>
/// Cases as the HTTP API and the console use them, taking validated input: each change is made by the calling
/// investigator and recorded in the case's audit trail (<see cref="AuditTrail.CaseSubject"/>) once it took effect, and so is each view.
/// </summary>
public sealed class CaseService(IGrainFactory grains, AuditTrail audit, Callers callers)
{
    /// <summary>A new case id: <c>case-</c> and 16 random hex digits.</summary>
    public static string NewId() => $"case-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    public async Task<CaseChange> OpenAsync(HttpContext context, string name, string? description)
    {
        var id = NewId();
        var change = await Case(id).OpenAsync(name, description, callers.Actor(context));
        await RecordAsync(context, id, change, "case.open", new() { ["name"] = name });
        return change;
    }

    public Task<CaseSummaryPage> ListAsync(long? before, int limit) =>
        grains.GetGrain<ICaseIndexGrain>(ICaseIndexGrain.Key).ReadAsync(before, limit);

    /// <summary>The case, its view recorded in its audit trail; null when there is no such case.</summary>
    public async Task<CaseView?> ViewAsync(HttpContext context, string id)
    {
        var view = await Case(id).GetAsync();
        if (view is not null)
        {
            await audit.RecordAsync(context, AuditTrail.CaseSubject(id), "case.view", new Dictionary<string, string>());
        }

        return view;
    }

    /// <summary>The case's history, newest first: who opened, changed, viewed, read and exported it, and when.</summary>
    public Task<AuditPage> ReadHistoryAsync(string id, long? before, int limit) => audit.ReadAsync(AuditTrail.CaseSubject(id), before, limit);

    public async Task<CaseChange> AddMemberAsync(HttpContext context, string id, CaseMemberKind kind, string member)
    {
        var change = await Case(id).AddMemberAsync(kind, member, callers.Actor(context));
        await RecordAsync(context, id, change, $"case.add_{Name(kind)}", new() { [Name(kind)] = member });
        return change;
    }

    public async Task<CaseChange> RemoveMemberAsync(HttpContext context, string id, CaseMemberKind kind, string member)
    {
        var change = await Case(id).RemoveMemberAsync(kind, member);
        await RecordAsync(context, id, change, $"case.remove_{Name(kind)}", new() { [Name(kind)] = member });
        return change;
    }

    public async Task<CaseChange> AddNoteAsync(HttpContext context, string id, string text)
    {
        var change = await Case(id).AddNoteAsync(text, callers.Actor(context));
        await RecordAsync(context, id, change, "case.add_note", new() { ["text"] = text });
        return change;
    }

    public async Task<CaseChange> AddEvidenceAsync(HttpContext context, string id, NewEvidenceItem item, byte[]? file)
    {
        var change = await Case(id).AddEvidenceAsync(item, file, callers.Actor(context));
        if (change.Case is { Evidence: [.., var added] })
        {
            await RecordAsync(context, id, change, "case.add_evidence", new()
            {
                ["number"] = added.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["sha256"] = added.Sha256,
            });
        }

        return change;
    }

    /// <summary>The file attached to an evidence item, its reading recorded in the case's audit trail; null when the case or the item has none.</summary>
    public async Task<byte[]?> ReadFileAsync(HttpContext context, string id, int number)
    {
        var file = await Case(id).GetFileAsync(number);
        if (file is not null)
        {
            await audit.RecordAsync(context, AuditTrail.CaseSubject(id), "case.read_evidence", new Dictionary<string, string>
            {
                ["number"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return file;
    }

    private ICaseGrain Case(string id) => grains.GetGrain<ICaseGrain>(id);

    private static string Name(CaseMemberKind kind) => kind == CaseMemberKind.Account ? "account" : "entity";

    private Task RecordAsync(HttpContext context, string id, CaseChange change, string action, Dictionary<string, string> details) =>
        change.Case is null ? Task.CompletedTask : audit.RecordAsync(context, AuditTrail.CaseSubject(id), action, details);
}
