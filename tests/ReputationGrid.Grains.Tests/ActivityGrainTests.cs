using Microsoft.Extensions.Time.Testing;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Activity;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>What the console's overview is made of: the silos' activity and the grain that adds it up.</summary>
public sealed class ActivityGrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private ReputationGridCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await ReputationGridCluster.StartAsync(options =>
    {
        options.Silos = 1;
        options.Time = _time;
    });

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private IActivityGrain Activity => _cluster.Client.GetGrain<IActivityGrain>(IActivityGrain.Key);

    [Fact]
    public void A_silo_counts_decisions_by_action_and_the_reasons_of_those_not_allowed_and_starts_afresh_when_taken()
    {
        var silo = new SiloActivity();
        silo.Decided(new Decision(EnforcementAction.Allow, 100, [ReasonCode.SendRate15s], null, null, "p"));
        silo.Decided(new Decision(EnforcementAction.Ban, 0, [ReasonCode.NewAccountBurst, ReasonCode.SendRate15s], null, null, "p"));
        silo.Changed("a", new HistoryEntry(Now, EnforcementAction.Ban, [ReasonCode.NewAccountBurst], "policy:p", null));

        var report = silo.Take(Now);
        Assert.Equal(1, report.Decisions[EnforcementAction.Allow.Severity()]);
        Assert.Equal(1, report.Decisions[EnforcementAction.Ban.Severity()]);
        Assert.Equal(1, report.Reasons[(int)ReasonCode.SendRate15s]); // the allowed decision's reason is not counted
        Assert.Equal(1, report.Reasons[(int)ReasonCode.NewAccountBurst]);
        Assert.Equal("a", Assert.Single(report.Changes).Account);

        var next = silo.Take(Now);
        Assert.All(next.Decisions, count => Assert.Equal(0, count));
        Assert.Empty(next.Changes);
    }

    [Fact]
    public async Task The_overview_adds_up_the_silos_over_its_windows()
    {
        await Activity.GetOverviewAsync(); // activates the grain: it counts from now
        _time.Advance(TimeSpan.FromMinutes(5));
        await Activity.ReportAsync(Report(allowed: 600, banned: 60, Change("old", EnforcementAction.Throttle)));
        _time.Advance(TimeSpan.FromMinutes(61));
        await Activity.ReportAsync(Report(allowed: 120, banned: 6, Change("new", EnforcementAction.Ban), Change("cleared", EnforcementAction.Allow)));

        var overview = await Activity.GetOverviewAsync();

        // Rates over the last minute only; reasons over the last hour only.
        Assert.Equal(2, overview.DecisionsPerSecond[EnforcementAction.Allow]);
        Assert.Equal(0.1, overview.DecisionsPerSecond[EnforcementAction.Ban]);
        Assert.Equal([new ReasonCount(ReasonCode.SendRate15s, 6)], overview.TopReasons);
        Assert.Equal(["cleared", "new", "old"], overview.RecentChanges.Select(c => c.Account));
        var hours = overview.ActionedPerHour;
        Assert.Equal(24, hours.Length);
        Assert.Equal((new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero), 1L), (hours[^1].Hour, hours[^1].Count)); // the clear is not an action
        Assert.Equal(1, hours[^2].Count);

        _time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(1, (await Activity.GetOverviewAsync()).ActionedPerHour.Sum(h => h.Count)); // the older hour has left the day
    }

    private static SiloActivityReport Report(long allowed, long banned, params EnforcementChangeRecord[] changes)
    {
        var decisions = new long[ShadowTally.Actions];
        decisions[EnforcementAction.Allow.Severity()] = allowed;
        decisions[EnforcementAction.Ban.Severity()] = banned;
        var reasons = new long[ShadowTally.ReasonCodes];
        reasons[(int)ReasonCode.SendRate15s] = banned;
        return new SiloActivityReport(Now, decisions, reasons, changes);
    }

    private static EnforcementChangeRecord Change(string account, EnforcementAction action) => new(account, Now, action, [], "policy:p");
}
