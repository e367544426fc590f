using ReputationGrid.Scoring;
using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Contracts;

/// <summary>The answer to a send-time check.</summary>
[GenerateSerializer, Immutable, Alias("rg.SendDecision")]
public sealed record SendDecision(
    [property: Id(0)] EnforcementAction Action,
    [property: Id(1)] double Score,
    [property: Id(2)] ReasonCode[] Reasons,
    [property: Id(3)] int? RetryAfterSeconds,
    [property: Id(4)] DateTimeOffset? Until,
    [property: Id(5)] string PolicyVersion)
{
    public static SendDecision From(Decision decision) => new(
        decision.Action, decision.Score, [.. decision.Reasons], decision.RetryAfterSeconds, decision.Until, decision.PolicyVersion);
}

/// <summary>An operator's action on an account.</summary>
/// <param name="Note">The operator's free-text note, if any.</param>
/// <param name="By">Who acted: the authenticated caller.</param>
[GenerateSerializer, Immutable, Alias("rg.OperatorAction")]
public sealed record OperatorAction(
    [property: Id(0)] OperatorCommand Command,
    [property: Id(1)] string? Note,
    [property: Id(2)] string By,
    [property: Id(3)] DateTimeOffset? Until = null,
    [property: Id(4)] int? Tier = null);

/// <summary>Everything an operator needs to review an account.</summary>
[GenerateSerializer, Immutable, Alias("rg.AccountView")]
public sealed record AccountView(
    [property: Id(0)] string Account,
    [property: Id(1)] bool Known,
    [property: Id(2)] EnforcementAction Action,
    [property: Id(3)] double Score,
    [property: Id(4)] ReasonCode[] Reasons,
    [property: Id(5)] DateTimeOffset? Since,
    [property: Id(6)] DateTimeOffset? Until,
    [property: Id(7)] Dictionary<string, double> Features,
    [property: Id(8)] AccountHistoryEntry[] History,
    [property: Id(9)] string PolicyVersion,
    [property: Id(10)] AccountLinkView[] Links,
    [property: Id(13)] SignalPoints[] Signals,
    [property: Id(14)] ScoreSample[] Scores,
    [property: Id(15)] AccountHour[] Hours,
    [property: Id(11)] BusinessView? Business = null,
    [property: Id(12)] ModelDriverView[]? ModelDrivers = null);

/// <summary>A business account's tier, its use of the limit, its quality rating with its inputs, and what moves its tier next.</summary>
/// <param name="Limit">Distinct people it may open conversations with in a rolling 24 hours; null when unlimited.</param>
/// <param name="UpgradeNeeds">Conversations to open within the upgrade window at medium or high quality to be due an upgrade; null at the top tier.</param>
/// <param name="UpgradeAt">When it moves up a tier if it still meets the condition then.</param>
/// <param name="DowngradeAt">When it moves down a tier if its quality is still low then.</param>
[GenerateSerializer, Immutable, Alias("rg.BusinessView")]
public sealed record BusinessView(
    [property: Id(0)] int Tier,
    [property: Id(1)] int? Limit,
    [property: Id(2)] long UsedIn24h,
    [property: Id(3)] string Verification,
    [property: Id(4)] string Quality,
    [property: Id(5)] Dictionary<string, double> QualityInputs,
    [property: Id(6)] long OpenedInUpgradeWindow,
    [property: Id(7)] long? UpgradeNeeds,
    [property: Id(8)] DateTimeOffset? UpgradeAt,
    [property: Id(9)] DateTimeOffset? DowngradeAt)
{
    public static BusinessView? From(BusinessReview? review) => review is null ? null : new(
        review.Tier,
        review.Limit,
        review.UsedIn24h,
        BusinessNames.Name(review.Verification),
        BusinessNames.Name(review.Quality.Rating),
        new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rate"] = Math.Round(review.Quality.Rate, 4),
            ["reached"] = Math.Round(review.Quality.Reached, 3),
            ["blocks"] = Math.Round(review.Quality.Blocks, 3),
            ["reports"] = Math.Round(review.Quality.Reports, 3),
            ["optOuts"] = Math.Round(review.Quality.OptOuts, 3),
            ["optedOutMessages"] = Math.Round(review.Quality.OptedOutMessages, 3),
            ["uncorroboratedFeedback"] = Math.Round(review.Quality.UncorroboratedFeedback, 3),
        },
        review.Quality.Opened,
        review.UpgradeNeeds,
        review.UpgradeAt,
        review.DowngradeAt);
}

/// <summary>A feature that pushed the policy's learned model towards abuse, and by how much (log-odds).</summary>
[GenerateSerializer, Immutable, Alias("rg.ModelDriverView")]
public sealed record ModelDriverView([property: Id(0)] string Feature, [property: Id(1)] double Contribution);

/// <summary>What the policy makes of one signal now: the value it reads from the features and the risk points it gives.</summary>
[GenerateSerializer, Immutable, Alias("rg.SignalPoints")]
public sealed record SignalPoints([property: Id(0)] ReasonCode Signal, [property: Id(1)] double Value, [property: Id(2)] double Points);

/// <summary>The lowest score an account's send checks gave in the quarter hour from <paramref name="At"/>.</summary>
[GenerateSerializer, Immutable, Alias("rg.ScoreSample")]
public sealed record ScoreSample([property: Id(0)] DateTimeOffset At, [property: Id(1)] double Score);

/// <summary>An account's activity in the hour from <paramref name="Hour"/>, from its stored day-long counters.</summary>
[GenerateSerializer, Immutable, Alias("rg.AccountHour")]
public sealed record AccountHour(
    [property: Id(0)] DateTimeOffset Hour,
    [property: Id(1)] long Attempts,
    [property: Id(2)] long Sent,
    [property: Id(3)] long NonContactSent);

/// <summary>One entity an account is linked to (<c>kind/id</c>), since when, and why it raises the account's risk.</summary>
[GenerateSerializer, Immutable, Alias("rg.AccountLinkView")]
public sealed record AccountLinkView(
    [property: Id(0)] string Entity,
    [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] ReasonCode[] Reasons);

[GenerateSerializer, Immutable, Alias("rg.AccountHistoryEntry")]
public sealed record AccountHistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] EnforcementAction Action,
    [property: Id(2)] ReasonCode[] Reasons,
    [property: Id(3)] string By,
    [property: Id(4)] string? Note)
{
    public static AccountHistoryEntry From(HistoryEntry entry) => new(entry.At, entry.Action, [.. entry.Reasons], entry.By, entry.Note);
}
