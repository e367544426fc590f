using System.Text.Json;
using System.Text.Json.Serialization;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;

namespace ReputationGrid.Api;

// The JSON shapes of the HTTP API. Field names are part of the public API: see README.md.

internal sealed record IngestResponse(int Accepted, IReadOnlyList<RejectedEvent> Rejected);

/// <param name="Retryable">True when the event was valid but could not be recorded now; send it again.</param>
internal sealed record RejectedEvent(
    int Index,
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Retryable = false);

internal sealed record DecisionResponse(
    string Account,
    string Action,
    double Score,
    string[] Reasons,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfterSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Until,
    string PolicyVersion)
{
    public static DecisionResponse From(string account, SendDecision decision) => new(
        account,
        EnforcementActions.Name(decision.Action),
        decision.Score,
        Names(decision.Reasons),
        decision.RetryAfterSeconds,
        decision.Until,
        decision.PolicyVersion);

    public static string[] Names(ReasonCode[] reasons) => reasons.Length == 0 ? [] : Array.ConvertAll(reasons, ReasonCodes.Name);
}

internal sealed record AccountResponse(
    string Account,
    bool Known,
    string Action,
    double Score,
    string[] Reasons,
    DateTimeOffset? Since,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Until,
    Dictionary<string, double> Features,
    HistoryResponse[] History,
    string PolicyVersion,
    LinkResponse[] Links,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BusinessResponse? Business,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ModelDriverResponse[]? ModelDrivers)
{
    public static AccountResponse From(AccountView view) => new(
        view.Account,
        view.Known,
        EnforcementActions.Name(view.Action),
        view.Score,
        DecisionResponse.Names(view.Reasons),
        view.Since,
        view.Until,
        view.Features,
        Array.ConvertAll(view.History, HistoryResponse.From),
        view.PolicyVersion,
        Array.ConvertAll(view.Links, link => new LinkResponse(link.Entity, link.Since, DecisionResponse.Names(link.Reasons))),
        BusinessResponse.From(view.Business),
        view.ModelDrivers is { } drivers ? Array.ConvertAll(drivers, d => new ModelDriverResponse(d.Feature, Math.Round(d.Contribution, 3))) : null);
}

/// <summary>A feature that pushed the learned model towards abuse, with its share of the log-odds.</summary>
internal sealed record ModelDriverResponse(string Feature, double Contribution);

/// <param name="Limit">Absent when the tier is unlimited.</param>
internal sealed record BusinessResponse(
    int Tier,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Limit,
    long UsedIn24h,
    string Verification,
    string Quality,
    Dictionary<string, double> QualityInputs,
    BusinessNextResponse Next)
{
    public static BusinessResponse? From(BusinessView? view) => view is null ? null : new(
        view.Tier,
        view.Limit,
        view.UsedIn24h,
        view.Verification,
        view.Quality,
        view.QualityInputs,
        new BusinessNextResponse(view.OpenedInUpgradeWindow, view.UpgradeNeeds, view.UpgradeAt, view.DowngradeAt));
}

/// <summary>What moves the tier next: opening <c>upgradeNeeds</c> conversations in the upgrade window at medium or high quality, or staying low until <c>downgradeAt</c>.</summary>
internal sealed record BusinessNextResponse(
    long OpenedInUpgradeWindow,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UpgradeNeeds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? UpgradeAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DowngradeAt);

internal sealed record LinkResponse(string Entity, DateTimeOffset Since, string[] Reasons);

internal sealed record HistoryResponse(
    DateTimeOffset At,
    string Action,
    string[] Reasons,
    string By,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note)
{
    public static HistoryResponse From(AccountHistoryEntry entry) =>
        new(entry.At, EnforcementActions.Name(entry.Action), DecisionResponse.Names(entry.Reasons), entry.By, entry.Note);
}

/// <param name="Next">The cursor of the next (older) page; absent on the last page.</param>
internal sealed record AuditResponse(
    string Subject,
    AuditEntryResponse[] Entries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next)
{
    public static AuditResponse From(string subject, AuditPage page) => new(
        subject,
        Array.ConvertAll(page.Entries, AuditEntryResponse.From),
        page.Next?.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

internal sealed record AuditEntryResponse(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Address,
    Dictionary<string, string> Details)
{
    public static AuditEntryResponse From(AuditEntry entry) =>
        new(entry.Sequence, entry.Record.At, entry.Record.Actor, entry.Record.Action, entry.Record.Address, entry.Record.Details);
}

/// <param name="Next">The cursor of the next (older) page; absent on the last page.</param>
internal sealed record EnforcementResponse(
    string Account,
    EnforcementEntryResponse[] Entries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next)
{
    public static EnforcementResponse From(string account, EnforcementRecordPage page) => new(
        account,
        Array.ConvertAll(page.Entries, EnforcementEntryResponse.From),
        page.Next?.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <param name="Risk">Each signal's risk points when it happened, largest first.</param>
internal sealed record EnforcementEntryResponse(
    long Sequence,
    DateTimeOffset At,
    string Action,
    string[] Reasons,
    string By,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Until,
    string PolicyVersion,
    double Score,
    Dictionary<string, double> Features,
    RiskPointsResponse[] Risk,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HardRule)
{
    public static EnforcementEntryResponse From(EnforcementRecordEntry entry)
    {
        var record = entry.Record;
        return new(
            entry.Sequence,
            record.At,
            EnforcementActions.Name(record.Action),
            DecisionResponse.Names(record.Reasons),
            record.By,
            record.Note,
            record.Until,
            record.PolicyVersion,
            record.Score,
            record.Features,
            Array.ConvertAll(record.Risk, risk => new RiskPointsResponse(ReasonCodes.Name(risk.Reason), risk.Points)),
            record.HardRule is { } rule ? ReasonCodes.Name(rule) : null);
    }
}

internal sealed record RiskPointsResponse(string Reason, double Points);

internal sealed record CaseResponse(
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    DateTimeOffset OpenedAt,
    string OpenedBy,
    CaseMember[] Accounts,
    CaseMember[] Entities,
    CaseNote[] Notes,
    EvidenceItemResponse[] Evidence)
{
    public static CaseResponse From(CaseView view) => new(
        view.Id, view.Name, view.Description, view.OpenedAt, view.OpenedBy, view.Accounts, view.Entities, view.Notes,
        Array.ConvertAll(view.Evidence, EvidenceItemResponse.From));
}

/// <param name="Sha256">Of the file's bytes, or of the link's UTF-8 text.</param>
internal sealed record EvidenceItemResponse(
    int Number,
    string Source,
    DateTimeOffset SeenAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Link,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FileName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ContentType,
    long Size,
    string Sha256,
    DateTimeOffset RecordedAt,
    string RecordedBy)
{
    public static EvidenceItemResponse From(EvidenceItem item) => new(
        item.Number, item.Source, item.SeenAt, item.Description, item.Link, item.FileName, item.ContentType, item.Size, item.Sha256,
        item.RecordedAt, item.RecordedBy);
}

/// <param name="Next">The cursor of the next (older) page; absent on the last page.</param>
internal sealed record CaseListResponse(
    CaseSummary[] Cases,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next)
{
    public static CaseListResponse From(CaseSummaryPage page) =>
        new(page.Cases, page.Next?.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

internal sealed record EntityResponse(
    string Kind,
    string Id,
    double LinkedAccounts,
    int ListedAccounts,
    LinkedAccountView[] Accounts,
    Dictionary<string, double> Counters,
    Dictionary<string, double> Risk,
    string[] Reasons,
    bool Banned,
    EntityHistoryEntry[] History)
{
    public static EntityResponse From(EntityView view) => new(
        view.Kind, view.Id, view.LinkedAccounts, view.ListedAccounts, view.Accounts, view.Counters, view.Risk,
        DecisionResponse.Names(view.Reasons), view.Banned, view.History);
}

public sealed record PolicyVersionsResponse(string Live, PolicyVersionResponse[] Versions)
{
    public static PolicyVersionsResponse From(PolicyHistory history) => new(
        history.Live, Array.ConvertAll(history.Versions, v => new PolicyVersionResponse(v.Version, v.Author, v.At, v.Version == history.Live)));
}

public sealed record PolicyVersionResponse(string Version, string Author, DateTimeOffset At, bool Live);

/// <param name="Agreement">Share of compared decisions where the candidate took the live action; absent before the first.</param>
/// <param name="Matrix">Decisions by live and shadow action, the cells that are not zero.</param>
/// <param name="DifferingReasons">The reasons given by only one of the two, most often first.</param>
/// <param name="SampleTotal">Accounts in the sample; <c>Sample</c> holds the requested page of them.</param>
public sealed record ShadowReportResponse(
    string Version,
    string Author,
    DateTimeOffset Since,
    int Silos,
    long Compared,
    long Agreed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Agreement,
    ShadowCellResponse[] Matrix,
    ShadowReasonResponse[] DifferingReasons,
    int SampleTotal,
    int Offset,
    ShadowSampleResponse[] Sample)
{
    /// <summary>How many differing reasons the report lists.</summary>
    public const int TopReasons = 10;

    public static ShadowReportResponse From(ShadowReport report, int offset)
    {
        var counts = report.Counts;
        var actions = Enum.GetValues<EnforcementAction>();
        var matrix = new List<ShadowCellResponse>();
        foreach (var live in actions)
        {
            foreach (var shadow in actions)
            {
                if (counts.Matrix[(live.Severity() * actions.Length) + shadow.Severity()] is > 0 and var count)
                {
                    matrix.Add(new ShadowCellResponse(EnforcementActions.Name(live), EnforcementActions.Name(shadow), count));
                }
            }
        }

        var reasons = counts.DifferingReasons
            .Select((count, code) => (Reason: (ReasonCode)code, Count: count))
            .Where(r => r.Count > 0)
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason)
            .Take(TopReasons)
            .Select(r => new ShadowReasonResponse(ReasonCodes.Name(r.Reason), r.Count));
        return new ShadowReportResponse(
            report.Candidate.Version,
            report.Candidate.Author,
            report.Candidate.Since,
            report.Silos,
            counts.Compared,
            counts.Agreed,
            counts.Compared == 0 ? null : Math.Round((double)counts.Agreed / counts.Compared, 6),
            [.. matrix],
            [.. reasons],
            report.SampleTotal,
            offset,
            Array.ConvertAll(counts.Sample, s => new ShadowSampleResponse(
                s.Account, s.At, EnforcementActions.Name(s.Live), EnforcementActions.Name(s.Shadow),
                DecisionResponse.Names(s.LiveReasons), DecisionResponse.Names(s.ShadowReasons))));
    }
}

public sealed record ShadowCellResponse(string Live, string Shadow, long Count);

public sealed record ShadowReasonResponse(string Reason, long Count);

public sealed record ShadowSampleResponse(string Account, DateTimeOffset At, string Live, string Shadow, string[] LiveReasons, string[] ShadowReasons);

internal sealed record LabelResponse(string Label, string Reason, DateTimeOffset At, string By, DateTimeOffset RecordedAt)
{
    public static LabelResponse From(AccountLabel label) => new(RequestParsers.Name(label.Label), label.Reason, label.At, label.By, label.RecordedAt);
}

/// <param name="EnforcementChanged">True for a snapshot of a change of action, false for a sampled decision.</param>
internal sealed record SnapshotResponse(DateTimeOffset At, bool EnforcementChanged, string Action, double Score, string PolicyVersion, Dictionary<string, double> Features)
{
    public static SnapshotResponse From(FeatureSnapshot snapshot) => new(
        snapshot.At, snapshot.EnforcementChanged, EnforcementActions.Name(snapshot.Action), snapshot.Score, snapshot.PolicyVersion, snapshot.Features);
}

/// <summary>An account's labels, oldest first, and its snapshots in time order.</summary>
internal sealed record EvidenceResponse(string Account, LabelResponse[] Labels, SnapshotResponse[] Snapshots)
{
    public static EvidenceResponse From(string account, AccountTrainingData evidence) => new(
        account,
        Array.ConvertAll(evidence.Labels, LabelResponse.From),
        [.. evidence.Changes.Concat(evidence.Samples).OrderBy(s => s.At).Select(SnapshotResponse.From)]);
}

/// <param name="Next">The cursor of the next (older) page; absent on the last page.</param>
internal sealed record ExportResponse(
    EvidenceResponse[] Accounts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Next);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(DecisionResponse))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(AuditResponse))]
[JsonSerializable(typeof(EnforcementResponse))]
[JsonSerializable(typeof(CaseResponse))]
[JsonSerializable(typeof(CaseListResponse))]
[JsonSerializable(typeof(EvidenceItemResponse))]
[JsonSerializable(typeof(Evidence.ExportHistoryPart))]
[JsonSerializable(typeof(Evidence.ExportAccountPart))]
[JsonSerializable(typeof(Evidence.ExportEntityPart))]
[JsonSerializable(typeof(Evidence.ExportLinksPart))]
[JsonSerializable(typeof(Evidence.ExportPolicy[]), TypeInfoPropertyName = "ExportPolicyArray")]
[JsonSerializable(typeof(EntityResponse))]
[JsonSerializable(typeof(PolicyVersionsResponse))]
[JsonSerializable(typeof(ShadowReportResponse))]
[JsonSerializable(typeof(LabelResponse))]
[JsonSerializable(typeof(EvidenceResponse))]
[JsonSerializable(typeof(ExportResponse))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
