using Orleans.Concurrency;
using ReputationGrid.Scoring;

namespace ReputationGrid.Contracts;

/// <summary>
/// What the cluster has been deciding, for the console's overview: one grain (key <see cref="Key"/>) that every silo
/// reports its decisions and enforcement changes to every few seconds. Kept in memory only: it starts empty when the
/// grain is activated again. Method aliases are part of the wire format: keep them when renaming.
/// </summary>
[Alias("rg.IActivityGrain")]
public interface IActivityGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    [Alias("Report")]
    Task ReportAsync(SiloActivityReport report);

    [Alias("GetOverview"), ReadOnly]
    Task<ActivityOverview> GetOverviewAsync();
}

/// <summary>A silo's decisions and enforcement changes since its previous report.</summary>
/// <param name="Decisions">Send decisions by action, indexed by <c>EnforcementActions.Severity</c>.</param>
/// <param name="Reasons">Reasons given with send decisions that were not allow, indexed by reason code.</param>
[GenerateSerializer, Immutable, Alias("rg.SiloActivityReport")]
public sealed record SiloActivityReport(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] long[] Decisions,
    [property: Id(2)] long[] Reasons,
    [property: Id(3)] EnforcementChangeRecord[] Changes);

/// <summary>An account's enforcement changing, automatically or by an operator (<paramref name="By"/>).</summary>
[GenerateSerializer, Immutable, Alias("rg.EnforcementChangeRecord")]
public sealed record EnforcementChangeRecord(
    [property: Id(0)] string Account,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] EnforcementAction Action,
    [property: Id(3)] ReasonCode[] Reasons,
    [property: Id(4)] string By);

/// <param name="Since">When the grain began counting (its activation).</param>
/// <param name="DecisionsPerSecond">Over the last minute, by action.</param>
/// <param name="TopReasons">The reasons most often given over the last hour, most often first.</param>
/// <param name="RecentChanges">Newest first.</param>
/// <param name="ActionedPerHour">Changes to an action other than allow, per hour of the last day, oldest first.</param>
[GenerateSerializer, Immutable, Alias("rg.ActivityOverview")]
public sealed record ActivityOverview(
    [property: Id(0)] DateTimeOffset Since,
    [property: Id(1)] Dictionary<EnforcementAction, double> DecisionsPerSecond,
    [property: Id(2)] ReasonCount[] TopReasons,
    [property: Id(3)] EnforcementChangeRecord[] RecentChanges,
    [property: Id(4)] HourCount[] ActionedPerHour);

[GenerateSerializer, Immutable, Alias("rg.ReasonCount")]
public sealed record ReasonCount([property: Id(0)] ReasonCode Reason, [property: Id(1)] long Count);

[GenerateSerializer, Immutable, Alias("rg.HourCount")]
public sealed record HourCount([property: Id(0)] DateTimeOffset Hour, [property: Id(1)] long Count);
