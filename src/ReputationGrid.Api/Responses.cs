using System.Text.Json;
using System.Text.Json.Serialization;
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BusinessResponse? Business)
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
        BusinessResponse.From(view.Business));
}

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

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(DecisionResponse))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(AuditResponse))]
[JsonSerializable(typeof(EntityResponse))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
