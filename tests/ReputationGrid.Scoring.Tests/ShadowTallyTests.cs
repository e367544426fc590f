using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

public sealed class ShadowTallyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static Decision Of(EnforcementAction action, params ReasonCode[] reasons) => new(action, 50, reasons, null, null, "v");

    private static int Cell(EnforcementAction live, EnforcementAction shadow) => (live.Severity() * ShadowTally.Actions) + shadow.Severity();

    [Fact]
    public void Each_decision_is_counted_in_agreement_the_matrix_and_the_reasons_only_one_gave()
    {
        var tally = new ShadowTally(7);

        var agreed = tally.Count(Of(EnforcementAction.Throttle, ReasonCode.SendRate1m), Of(EnforcementAction.Throttle, ReasonCode.SendRate1m, ReasonCode.NoTyping));
        var differed = tally.Count(Of(EnforcementAction.Allow), Of(EnforcementAction.Challenge, ReasonCode.NoTyping, ReasonCode.ClockworkTiming));

        Assert.False(agreed);
        Assert.True(differed);
        Assert.Equal((7L, 2L, 1L), (tally.ShadowId, tally.Compared, tally.Agreed));
        var matrix = tally.Matrix();
        Assert.Equal(1, matrix[Cell(EnforcementAction.Throttle, EnforcementAction.Throttle)]);
        Assert.Equal(1, matrix[Cell(EnforcementAction.Allow, EnforcementAction.Challenge)]);
        Assert.Equal(2, matrix.Sum());
        var reasons = tally.DifferingReasons();
        Assert.Equal((2L, 1L, 3L), (reasons[(int)ReasonCode.NoTyping], reasons[(int)ReasonCode.ClockworkTiming], reasons.Sum()));
    }

    [Fact]
    public void The_sample_keeps_each_account_once_at_its_first_difference_up_to_its_capacity()
    {
        var tally = new ShadowTally(1);
        var live = Of(EnforcementAction.Allow);
        var shadow = Of(EnforcementAction.Suspend, ReasonCode.SendRate15s);

        tally.Sample("a", T0, live, shadow);
        tally.Sample("a", T0.AddMinutes(1), live, shadow);
        for (var i = 0; i < ShadowTally.SampleCapacity + 10; i++)
        {
            tally.Sample($"b{i}", T0.AddMinutes(2), live, shadow);
        }

        var sampled = tally.Sampled();
        Assert.Equal(ShadowTally.SampleCapacity, sampled.Length);
        var first = sampled[0];
        Assert.Equal(("a", T0, EnforcementAction.Allow, EnforcementAction.Suspend), (first.Account, first.At, first.Live, first.Shadow));
        Assert.Equal([ReasonCode.SendRate15s], first.ShadowReasons);
        Assert.Single(sampled, s => s.Account == "a");
        Assert.False(tally.Count(live, shadow)); // full: the caller need not name the account
    }
}
