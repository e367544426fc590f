using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>A shadow candidate is judged on the send check without changing the live decision or the account.</summary>
public sealed class ShadowJudgingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _live = new() { Version = "live" };

    /// <summary>A candidate that scores <c>send_rate_1m</c> in full from the 5th attempt in a minute.</summary>
    private static ScoringPolicy Candidate()
    {
        var candidate = new ScoringPolicy { Version = "candidate" };
        candidate.Signals.SendRate1m = new SignalPolicy(4, 5, 40);
        return candidate;
    }

    private static IEnumerable<(DateTimeOffset At, OutgoingMessage Message)> Burst() =>
        Enumerable.Range(0, 30).Select(i => (T0.AddSeconds(i * 5), new OutgoingMessage($"r{i % 4}", i % 3 > 0, Typed: true)));

    [Fact]
    public void The_live_decisions_and_state_are_those_of_a_check_without_a_shadow()
    {
        var shadowed = new AccountReputation();
        var plain = new AccountReputation();
        var candidate = Candidate();
        var shadowActions = new List<EnforcementAction>();

        foreach (var (at, message) in Burst())
        {
            var decision = shadowed.CheckSend(at, message, _live, candidate, out var change, out var shadow);
            var expected = plain.CheckSend(at, message, _live, out var expectedChange);
            Assert.Equal((expected.Action, expected.Score, expected.PolicyVersion, expectedChange), (decision.Action, decision.Score, decision.PolicyVersion, change));
            Assert.Equal("candidate", shadow.PolicyVersion);
            shadowActions.Add(shadow.Action);
        }

        Assert.Equal(plain.Encode(), shadowed.Encode());
        Assert.Contains(EnforcementAction.Throttle, shadowActions);
    }

    [Fact]
    public void The_shadow_decision_is_the_candidates_next_decision_from_the_accounts_standing()
    {
        var account = new AccountReputation();
        var candidate = Candidate();
        foreach (var (at, message) in Burst().Take(10))
        {
            account.CheckSend(at, message, _live, out _);
        }

        var copy = AccountReputation.Decode(account.Encode());
        var at11 = T0.AddSeconds(50);
        var message11 = new OutgoingMessage("r1", true, Typed: true);

        account.CheckSend(at11, message11, _live, candidate, out _, out var shadow);
        var underCandidate = copy.CheckSend(at11, message11, candidate, out _);

        Assert.Equal((underCandidate.Action, underCandidate.Score), (shadow.Action, shadow.Score));
        Assert.Equal(underCandidate.Reasons, shadow.Reasons);
        Assert.Equal(EnforcementAction.Throttle, shadow.Action);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Judging_and_counting_a_shadow_that_agrees_allocates_nothing(bool candidateHasModel)
    {
        var account = new AccountReputation();
        var tally = new ShadowTally(1);
        var candidate = candidateHasModel ? TestModels.PolicyWithModel("same-rules") : new ScoringPolicy { Version = "same-rules" };
        var at = T0;
        var message = new OutgoingMessage("friend", true, Typed: true);
        void Traffic(int count)
        {
            for (var i = 0; i < count; i++)
            {
                at = at.AddSeconds(97);
                var decision = account.CheckSend(at, message, _live, candidate, out _, out var shadow);
                tally.Count(decision, shadow);
            }
        }

        Assert.Equal(0, Allocations.InSteadyState(() => Traffic(200)));
        Assert.True(tally.Compared >= 400);
        Assert.Equal(tally.Compared, tally.Agreed);
    }
}
