namespace ReputationGrid.ChaosLoad.Tests;

public sealed class FiguresTests
{
    private const long T0 = 1_700_000_000_000;
    private static readonly TimeSpan BaselineWindow = TimeSpan.FromSeconds(5);

    [Fact]
    public void The_baseline_counts_answered_checks_per_second_in_the_window_before_the_event()
    {
        List<Request> requests =
        [
            .. Checks(from: T0 - 5_000, to: T0, perSecond: 100),
            Check(T0 - 100, answered: false),
            Action(T0 - 100, answered: true),
            Check(T0 - 6_000), // before the window
            Check(T0), // at the event: after it
        ];

        Assert.Equal(100, Figures.Baseline(requests, T0, BaselineWindow));
    }

    [Fact]
    public void A_phase_counts_its_failed_checks_and_actions_and_its_longest_request_and_ends_at_the_next_event()
    {
        List<Request> requests =
        [
            Check(T0 + 100, answered: false, tookMs: 4_000),
            Check(T0 + 2_500, answered: false, tookMs: 1_200),
            Check(T0 + 3_000),
            Action(T0 + 3_100, answered: false, tookMs: 4_500),
            Action(T0 + 3_200, answered: true),
            Check(T0 + 10_000, answered: false, tookMs: 9_000), // the next phase's
        ];
        FaultEvent[] events = [new(T0, "silo-1 killed"), new(T0 + 10_000, "silo-1 started again")];

        var phases = Figures.Phases(requests, events, endMs: T0 + 20_000, BaselineWindow, fraction: 0.8);

        var killed = phases[0];
        Assert.Equal(T0 + 10_000, killed.EndMs);
        Assert.Equal((3, 2, 2, 1), (killed.Checks, killed.FailedChecks, killed.Actions, killed.FailedActions));
        Assert.Equal(4_500, killed.LongestMs);
        Assert.Equal(2_500, killed.AllChecksSucceedAfterMs); // the end of the last failed check
        var restarted = phases[1];
        Assert.Equal(T0 + 20_000, restarted.EndMs);
        Assert.Equal((1, 1, 9_000), (restarted.Checks, restarted.FailedChecks, restarted.LongestMs));
    }

    [Fact]
    public void Every_check_succeeds_from_the_event_on_when_none_failed()
    {
        var phases = Figures.Phases([Check(T0 + 500)], [new(T0, "storage started again")], endMs: T0 + 5_000, BaselineWindow, fraction: 0.8);

        Assert.Equal(0, phases[0].AllChecksSucceedAfterMs);
    }

    [Fact]
    public void Throughput_is_back_at_the_end_of_the_first_second_with_the_fraction_of_the_baseline_answered()
    {
        // 100 answered checks a second before the event; none for 3 s after it; then 50 a second (short of 80), then 90 a second.
        List<Request> requests =
        [
            .. Checks(from: T0 - 5_000, to: T0, perSecond: 100),
            .. Checks(from: T0 + 3_000, to: T0 + 5_000, perSecond: 50),
            .. Checks(from: T0 + 5_000, to: T0 + 8_000, perSecond: 90),
        ];

        var phase = Figures.Phases(requests, [new(T0, "silo-1 killed")], endMs: T0 + 8_000, BaselineWindow, fraction: 0.8)[0];

        Assert.Equal(100, phase.BaselinePerSecond);
        // The window [4.8 s, 5.8 s) holds 10 checks of the slow second and 72 of the fast one: 82 ≥ 80, the first to reach it.
        Assert.Equal(5_800, phase.ThroughputBackAfterMs);
    }

    [Fact]
    public void Throughput_that_never_comes_back_within_the_phase_has_no_time()
    {
        List<Request> requests =
        [
            .. Checks(from: T0 - 5_000, to: T0, perSecond: 100),
            .. Checks(from: T0, to: T0 + 10_000, perSecond: 79),
            .. Checks(from: T0 + 10_000, to: T0 + 12_000, perSecond: 100), // after the next event
        ];

        var phase = Figures.Phases(requests, [new(T0, "storage stopped"), new(T0 + 10_000, "storage started again")], endMs: T0 + 12_000, BaselineWindow, fraction: 0.8)[0];

        Assert.Null(phase.ThroughputBackAfterMs);
    }

    [Fact]
    public void The_timeline_has_a_line_per_second_with_answered_and_failed_checks_failed_actions_and_the_longest_request()
    {
        List<Request> requests =
        [
            Check(T0 + 100, tookMs: 20),
            Check(T0 + 900, answered: false, tookMs: 4_000),
            Action(T0 + 950, answered: false, tookMs: 300),
            Check(T0 + 1_500, tookMs: 5),
            Check(T0 - 1, tookMs: 9_999), // before the steady load
        ];

        var lines = Figures.Timeline(requests, T0, T0 + 2_000);

        Assert.Equal(["second,answered_checks,failed_checks,failed_actions,longest_ms", "0,1,1,1,4000", "1,1,0,0,5"], lines);
    }

    private static Request Check(long endedMs, bool answered = true, int tookMs = 10) => new(endedMs, tookMs, RequestKind.Check, answered);

    private static Request Action(long endedMs, bool answered, int tookMs = 10) => new(endedMs, tookMs, RequestKind.Action, answered);

    /// <summary>Answered checks ending evenly spread over [from, to).</summary>
    private static IEnumerable<Request> Checks(long from, long to, int perSecond)
    {
        var count = (int)((to - from) * perSecond / 1000);
        for (var i = 0; i < count; i++)
        {
            yield return Check(from + (i * (to - from) / count));
        }
    }
}
