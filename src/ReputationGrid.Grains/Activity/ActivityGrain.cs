using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Activity;

/// <summary>
/// The silos' reports added up for the console's overview, in memory only (see <see cref="IActivityGrain"/>): the last
/// hour of reports for rates and reasons, the newest enforcement changes, and a day of hourly counts of accounts actioned.
/// </summary>
public sealed class ActivityGrain(TimeProvider time) : Grain, IActivityGrain
{
    public const int RecentChangesKept = 50;
    public const int TopReasonsShown = 10;

    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReasonWindow = TimeSpan.FromHours(1);

    private readonly Queue<SiloActivityReport> _reports = new(); // the last ReasonWindow, oldest first
    private readonly LinkedList<EnforcementChangeRecord> _recent = new(); // newest first
    private readonly long[] _actionedPerHour = new long[24];
    private long _newestHour; // absolute hour index of the newest slot of _actionedPerHour
    private DateTimeOffset _since;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _since = time.GetUtcNow();
        _newestHour = HourIndex(_since);
        return Task.CompletedTask;
    }

    public Task ReportAsync(SiloActivityReport report)
    {
        var now = time.GetUtcNow();
        _reports.Enqueue(report with { At = now }); // the grain's own clock, so silos' clocks never skew the windows
        while (_reports.TryPeek(out var oldest) && now - oldest.At > ReasonWindow)
        {
            _reports.Dequeue();
        }

        foreach (var change in report.Changes)
        {
            _recent.AddFirst(change);
            if (_recent.Count > RecentChangesKept)
            {
                _recent.RemoveLast();
            }

            if (change.Action != EnforcementAction.Allow)
            {
                AdvanceHours(now);
                _actionedPerHour[Slot(HourIndex(now))]++;
            }
        }

        return Task.CompletedTask;
    }

    public Task<ActivityOverview> GetOverviewAsync()
    {
        var now = time.GetUtcNow();
        AdvanceHours(now);
        var window = Math.Max(1, Math.Min(RateWindow.TotalSeconds, (now - _since).TotalSeconds));
        var decisions = new long[ShadowTally.Actions];
        var reasons = new long[ShadowTally.ReasonCodes];
        foreach (var report in _reports)
        {
            if (now - report.At <= RateWindow)
            {
                Add(decisions, report.Decisions);
            }

            if (now - report.At <= ReasonWindow)
            {
                Add(reasons, report.Reasons);
            }
        }

        var perSecond = Enum.GetValues<EnforcementAction>().ToDictionary(action => action, action => decisions[action.Severity()] / window);
        var top = reasons.Select((count, code) => new ReasonCount((ReasonCode)code, count))
            .Where(r => r.Count > 0).OrderByDescending(r => r.Count).ThenBy(r => r.Reason).Take(TopReasonsShown).ToArray();
        var hours = new HourCount[_actionedPerHour.Length];
        for (var i = 0; i < hours.Length; i++)
        {
            var hour = _newestHour - (hours.Length - 1) + i;
            hours[i] = new HourCount(DateTimeOffset.UnixEpoch.AddHours(hour), _actionedPerHour[Slot(hour)]);
        }

        return Task.FromResult(new ActivityOverview(_since, perSecond, top, [.. _recent], hours));
    }

    /// <summary>Clears the hours that passed since the newest slot was last written.</summary>
    private void AdvanceHours(DateTimeOffset now)
    {
        var hour = HourIndex(now);
        for (var passed = Math.Max(_newestHour + 1, hour - _actionedPerHour.Length + 1); passed <= hour; passed++)
        {
            _actionedPerHour[Slot(passed)] = 0;
        }

        _newestHour = Math.Max(_newestHour, hour);
    }

    private static void Add(long[] total, long[] counts)
    {
        for (var i = 0; i < Math.Min(total.Length, counts.Length); i++)
        {
            total[i] += counts[i];
        }
    }

    private static long HourIndex(DateTimeOffset at) => (long)Math.Floor((at - DateTimeOffset.UnixEpoch).TotalHours);

    private int Slot(long hour) => (int)(hour % _actionedPerHour.Length);
}
