using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

public sealed class EnforcementStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _policy = new();

    private static RiskAssessment Risk(double points, ReasonCode reason = ReasonCode.SendRate1m)
    {
        var risk = new RiskAssessment();
        risk.Add(reason, points);
        return risk;
    }

    private Verdict Step(EnforcementState state, DateTimeOffset at, double points, ReasonCode reason = ReasonCode.SendRate1m)
    {
        var verdict = state.Judge(at, Risk(points, reason), default, _policy);
        state.Apply(verdict, _policy);
        return verdict;
    }

    [Fact]
    public void The_policy_acts_under_one_name_per_version_that_every_account_s_history_shares()
    {
        var policy = new ScoringPolicy { Version = "v-one" };
        var first = EnforcementState.PolicyActor(policy);
        var again = EnforcementState.PolicyActor(policy);
        policy.Version = "v-two";
        var next = EnforcementState.PolicyActor(policy);

        Assert.Equal("policy:v-one", first);
        Assert.Same(first, again);
        Assert.Equal("policy:v-two", next);
    }

    [Fact]
    public void Score_falls_at_once_and_recovers_at_the_policy_rate()
    {
        var state = new EnforcementState();
        Assert.Equal(40, Step(state, T0, 60).Score);
        Assert.Equal(60, Step(state, T0.AddHours(1), 0).Score);
        Assert.Equal(100, Step(state, T0.AddHours(10), 0).Score);
    }

    [Fact]
    public void Every_action_but_allow_names_its_reasons()
    {
        var state = new EnforcementState();
        var verdict = Step(state, T0, 40, ReasonCode.UnansweredStrangers);

        Assert.Equal(EnforcementAction.Throttle, verdict.Effective.Action);
        Assert.Equal([ReasonCode.UnansweredStrangers], verdict.Effective.Reasons);
        Assert.Empty(Step(state, T0.AddDays(1), 0).Effective.Reasons);
    }

    [Fact]
    public void A_borderline_account_does_not_flap_between_allow_and_throttle()
    {
        var state = new EnforcementState();
        var at = T0;
        Assert.Equal(EnforcementAction.Throttle, Step(state, at, 31).Effective.Action); // score 69: below 70

        // Hovering just above the throttle threshold, within the hysteresis margin: stays throttled.
        for (var i = 0; i < 20; i++)
        {
            at = at.AddMinutes(1);
            Assert.Equal(EnforcementAction.Throttle, Step(state, at, i % 2 == 0 ? 27 : 31).Effective.Action);
        }

        // Clearly recovered (80 or more): allowed again.
        Assert.Equal(EnforcementAction.Allow, Step(state, at.AddHours(2), 15).Effective.Action);
    }

    [Fact]
    public void Escalation_is_immediate_and_the_ladder_follows_the_score()
    {
        var state = new EnforcementState();
        Assert.Equal(EnforcementAction.Allow, Step(state, T0, 20).Effective.Action);
        Assert.Equal(EnforcementAction.Challenge, Step(state, T0.AddSeconds(1), 60).Effective.Action);
        var suspended = Step(state, T0.AddSeconds(2), 80);
        Assert.Equal(EnforcementAction.Suspend, suspended.Effective.Action);
        Assert.Equal(T0.AddSeconds(2) + _policy.SuspendFor, suspended.Effective.Until);
    }

    [Fact]
    public void A_suspension_runs_its_course_then_lifts()
    {
        var state = new EnforcementState();
        Step(state, T0, 90);
        Assert.Equal(EnforcementAction.Suspend, Step(state, T0.AddHours(23), 0).Effective.Action);
        Assert.Equal(EnforcementAction.Allow, Step(state, T0.AddHours(25), 0).Effective.Action);
    }

    [Fact]
    public void The_third_suspension_within_the_window_becomes_a_ban()
    {
        var state = new EnforcementState();
        var at = T0;
        for (var offence = 1; offence <= 2; offence++)
        {
            Assert.Equal(EnforcementAction.Suspend, Step(state, at, 90).Effective.Action);
            at = at.AddDays(2);
            Assert.Equal(EnforcementAction.Allow, Step(state, at, 0).Effective.Action);
        }

        var third = Step(state, at, 90);
        Assert.Equal(EnforcementAction.Ban, third.Effective.Action);
        Assert.Equal(ReasonCode.RepeatOffender, third.Effective.Reasons[0]);
        Assert.Equal(EnforcementAction.Ban, Step(state, at.AddDays(60), 0).Effective.Action);
    }

    [Fact]
    public void A_hard_rule_bans_at_once_and_the_ban_sticks()
    {
        var state = new EnforcementState();
        var risk = Risk(10);
        risk.HardRule = ReasonCode.NewAccountBurst;
        var verdict = state.Judge(T0, risk, default, _policy);
        Assert.Equal(EnforcementChange.Standing, state.Apply(verdict, _policy));

        Assert.Equal(EnforcementAction.Ban, verdict.Effective.Action);
        Assert.Equal(0, verdict.Score);
        Assert.Equal(ReasonCode.NewAccountBurst, verdict.Effective.Reasons[0]);
        Assert.Equal(EnforcementAction.Ban, Step(state, T0.AddDays(30), 0).Effective.Action);
    }

    [Fact]
    public void Apply_tells_a_throttle_from_a_change_of_standing()
    {
        var state = new EnforcementState();
        EnforcementChange Apply(DateTimeOffset at, double points) => state.Apply(state.Judge(at, Risk(points), default, _policy), _policy);

        Assert.Equal(EnforcementChange.None, Apply(T0, 5));
        Assert.Equal(EnforcementChange.Throttle, Apply(T0.AddSeconds(1), 40)); // score 60: allow to throttle
        Assert.Equal(EnforcementChange.None, Apply(T0.AddSeconds(2), 40));
        Assert.Equal(EnforcementChange.Standing, Apply(T0.AddSeconds(3), 60)); // score 40: throttle to challenge
        Assert.Equal(EnforcementChange.Standing, Apply(T0.AddDays(1), 0)); // recovered: challenge to allow
        Assert.Equal(EnforcementChange.Throttle, Apply(T0.AddDays(1).AddSeconds(1), 40));
        Assert.Equal(EnforcementChange.Throttle, Apply(T0.AddDays(2), 0)); // throttle to allow

        // Every change is in the history, whatever it is worth to storage.
        Assert.Equal(
            [EnforcementAction.Throttle, EnforcementAction.Challenge, EnforcementAction.Allow, EnforcementAction.Throttle, EnforcementAction.Allow],
            state.History.Select(entry => entry.Action));
    }

    [Fact]
    public void Operator_overrides_win_until_cleared()
    {
        var state = new EnforcementState();
        state.ApplyOverride(OperatorCommand.Ban, T0, "ops:dana", "confirmed spam", null);
        Assert.Equal(EnforcementAction.Ban, Step(state, T0.AddMinutes(1), 0).Effective.Action);
        Assert.Equal([ReasonCode.OperatorBan], state.Judge(T0.AddMinutes(2), Risk(0), default, _policy).Effective.Reasons);

        state.ApplyOverride(OperatorCommand.Allowlist, T0.AddMinutes(3), "ops:dana", "verified business", null);
        var allowed = Step(state, T0.AddMinutes(4), 95);
        Assert.Equal(EnforcementAction.Allow, allowed.Effective.Action);
        Assert.Equal(EnforcementAction.Suspend, allowed.Automatic.Action); // still tracked underneath

        state.ApplyOverride(OperatorCommand.Clear, T0.AddMinutes(5), "ops:dana", "appeal granted", null);
        var cleared = Step(state, T0.AddMinutes(6), 0);
        Assert.Equal(EnforcementAction.Allow, cleared.Effective.Action);
        Assert.Equal(100, cleared.Score);
        Assert.Equal(["operator_ban", "operator_allowlist", "operator_clear"],
            state.History.Where(h => h.By == "ops:dana").Select(h => ReasonCodes.Name(h.Reasons[0])));
    }

    [Fact]
    public void An_operator_suspension_ends_at_its_time()
    {
        var state = new EnforcementState();
        state.ApplyOverride(OperatorCommand.Suspend, T0, "ops:dana", "investigating", T0.AddHours(2));

        var during = Step(state, T0.AddHours(1), 0);
        Assert.Equal(EnforcementAction.Suspend, during.Effective.Action);
        Assert.Equal(T0.AddHours(2), during.Effective.Until);
        Assert.Equal(EnforcementAction.Allow, Step(state, T0.AddHours(3), 0).Effective.Action);
        Assert.Null(state.Override);
    }

    [Fact]
    public void History_is_bounded()
    {
        var state = new EnforcementState();
        for (var i = 0; i < 500; i++)
        {
            state.ApplyOverride(i % 2 == 0 ? OperatorCommand.Ban : OperatorCommand.Clear, T0.AddMinutes(i), "ops", "toggle", null);
        }

        Assert.Equal(EnforcementState.HistoryCapacity, state.History.Count);
        Assert.Equal(T0.AddMinutes(499), state.History[^1].At);
    }

    [Fact]
    public void Severity_climbs_the_ladder_one_step_at_a_time()
    {
        Assert.Equal(
            [EnforcementAction.Allow, EnforcementAction.Throttle, EnforcementAction.Challenge, EnforcementAction.Suspend, EnforcementAction.Ban],
            Enum.GetValues<EnforcementAction>().OrderBy(action => action.Severity()));
        Assert.Equal(Enumerable.Range(0, 5), Enum.GetValues<EnforcementAction>().Select(action => action.Severity()).Order());
        Assert.Equal(EnforcementAction.Challenge, EnforcementActions.MoreSevere(EnforcementAction.Throttle, EnforcementAction.Challenge));
        Assert.Equal(EnforcementAction.Throttle, EnforcementActions.LessSevere(EnforcementAction.Throttle, EnforcementAction.Challenge));
    }
}
