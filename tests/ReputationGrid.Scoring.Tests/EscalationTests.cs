using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>Refused attempts kept up against the limits, and the answers to challenges, on event time.</summary>
public sealed class EscalationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _policy = new();

    /// <summary>A two-day-old account that messages strangers and retries whatever it is told.</summary>
    private static AccountReputation Spammer()
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0.AddDays(-2), NetworkKind.Mobile, false, null, null, null));
        return account;
    }

    /// <summary>
    /// Sends to a new stranger on average every <paramref name="gap"/> (alternately shorter and longer, as a person
    /// would) from <paramref name="from"/> until before <paramref name="until"/>; the last decision.
    /// </summary>
    private Decision SendToStrangers(AccountReputation account, DateTimeOffset from, DateTimeOffset until, TimeSpan gap, ref int sent)
    {
        var decision = default(Decision);
        for (var at = from; at < until; at += gap * (sent % 2 == 0 ? 0.4 : 1.6))
        {
            decision = account.CheckSend(at, new OutgoingMessage($"stranger-{sent++}", RecipientIsContact: false, Typed: true), _policy, out _);
        }

        return decision;
    }

    /// <summary>The first automatic change to <paramref name="action"/> in the history, or null.</summary>
    private static HistoryEntry? First(AccountReputation account, EnforcementAction action) =>
        account.Enforcement.History.FirstOrDefault(entry => entry.Action == action);

    [Fact]
    public void Waiting_out_every_throttle_is_challenged_within_the_hour_and_an_unanswered_challenge_suspends()
    {
        var account = Spammer();
        var sent = 0;
        SendToStrangers(account, T0, T0.AddHours(3), TimeSpan.FromSeconds(_policy.ThrottleRetryAfterSeconds), ref sent);

        var throttled = First(account, EnforcementAction.Throttle)!;
        var challenged = First(account, EnforcementAction.Challenge)!;
        var suspended = First(account, EnforcementAction.Suspend)!;
        Assert.True(challenged.At - throttled.At <= TimeSpan.FromHours(2), $"throttled at {throttled.At}, challenged at {challenged.At}");
        Assert.Equal(ReasonCode.PersistentThrottling, challenged.Reasons[0]);
        Assert.Equal(challenged.At + _policy.Escalation.ChallengeTimeout, suspended.At);
        Assert.Equal(ReasonCode.ChallengeUnanswered, suspended.Reasons[0]);
    }

    [Fact]
    public void A_challenge_raised_by_pressure_holds_until_it_is_answered()
    {
        var account = Spammer();
        var sent = 0;
        SendToStrangers(account, T0, T0.AddHours(3), TimeSpan.FromSeconds(30), ref sent);
        var challenged = First(account, EnforcementAction.Challenge)!.At;

        // Silent after one more attempt: still challenged just before the timeout, though the score alone would only throttle.
        var account2 = Spammer();
        var sent2 = 0;
        SendToStrangers(account2, T0, challenged.AddSeconds(1), TimeSpan.FromSeconds(30), ref sent2);
        var review = account2.Review(challenged + _policy.Escalation.ChallengeTimeout - TimeSpan.FromSeconds(1), _policy);

        Assert.Equal(EnforcementAction.Challenge, review.Decision.Action);
        Assert.Equal(ReasonCode.PersistentThrottling, review.Decision.Reasons[0]);
    }

    [Fact]
    public void A_failed_challenge_suspends_at_once()
    {
        var account = Spammer();
        var sent = 0;
        var decision = SendToStrangers(account, T0, T0.AddHours(3), TimeSpan.FromSeconds(30), ref sent);
        var challenged = First(account, EnforcementAction.Challenge)!.At;
        account = Spammer();
        sent = 0;
        SendToStrangers(account, T0, challenged.AddSeconds(1), TimeSpan.FromSeconds(30), ref sent);

        var failedAt = challenged.AddMinutes(2);
        account.Behaviour.RecordChallengeFailed(failedAt);
        var change = account.Reassess(failedAt, _policy);

        Assert.Equal(EnforcementChange.Standing, change);
        var review = account.Review(failedAt, _policy);
        Assert.Equal(EnforcementAction.Suspend, review.Decision.Action);
        Assert.Equal(ReasonCode.ChallengeFailed, review.Decision.Reasons[0]);
        Assert.Equal(failedAt + _policy.SuspendFor, review.Decision.Until);
        Assert.NotEqual(EnforcementAction.Allow, decision.Action);
    }

    [Fact]
    public void A_passed_challenge_lifts_it_and_pressure_kept_up_after_it_suspends()
    {
        var account = Spammer();
        var sent = 0;
        var at = T0;
        while (account.Enforcement.AutomaticAction != EnforcementAction.Challenge)
        {
            SendToStrangers(account, at, at.AddSeconds(30), TimeSpan.FromSeconds(30), ref sent);
            at = at.AddSeconds(30);
        }

        var passedAt = at.AddMinutes(1);
        account.Behaviour.RecordChallengePassed(passedAt);
        account.Reassess(passedAt, _policy);
        Assert.Equal(EnforcementAction.Throttle, account.Review(passedAt, _policy).Decision.Action);

        // The click farm keeps spamming: refusals after the pass, within the pass's memory, suspend.
        SendToStrangers(account, passedAt.AddSeconds(30), passedAt.AddHours(3), TimeSpan.FromSeconds(30), ref sent);
        var suspended = account.Enforcement.History.Last(entry => entry.Action == EnforcementAction.Suspend);
        Assert.Equal(ReasonCode.PersistentThrottling, suspended.Reasons[0]);
        Assert.True(suspended.At - passedAt <= TimeSpan.FromHours(2), $"passed at {passedAt}, suspended at {suspended.At}");
        Assert.DoesNotContain(account.Enforcement.History, entry => entry.At > passedAt && entry.Action == EnforcementAction.Challenge);
    }

    [Fact]
    public void A_pass_answers_only_the_challenge_it_followed()
    {
        // A score challenge, passed, then a second challenge later in the day: the first pass does not lift it.
        var state = new EnforcementState();
        var passed = new Features { ChallengePassedAt = T0.AddMinutes(5), HoursSinceChallengePassed = 0 };
        state.Apply(state.Judge(T0, Risk(60), default, _policy), _policy);
        Assert.Equal(EnforcementAction.Challenge, state.AutomaticAction);

        state.Apply(state.Judge(T0.AddMinutes(5), Risk(0), passed, _policy), _policy);
        Assert.Equal(EnforcementAction.Throttle, state.AutomaticAction);

        state.Apply(state.Judge(T0.AddHours(3), Risk(60), passed, _policy), _policy);
        Assert.Equal(EnforcementAction.Challenge, state.AutomaticAction);
        state.Apply(state.Judge(T0.AddHours(3).AddMinutes(5), Risk(0), passed, _policy), _policy);
        Assert.Equal(EnforcementAction.Challenge, state.AutomaticAction);

        var second = passed with { ChallengePassedAt = T0.AddHours(3).AddMinutes(6) };
        state.Apply(state.Judge(T0.AddHours(3).AddMinutes(6), Risk(0), second, _policy), _policy);
        Assert.Equal(EnforcementAction.Throttle, state.AutomaticAction);
    }

    [Fact]
    public void One_episode_of_throttling_does_not_escalate()
    {
        // A teacher messages a class of 40 a second apart, is throttled, retries every 30 seconds and gives up after 20 refusals.
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0.AddYears(-2), NetworkKind.Mobile, false, null, null, null));
        var (pupil, refused) = (0, 0);
        var at = T0;
        while (pupil < 40 && refused < 20)
        {
            var decision = account.CheckSend(at, new OutgoingMessage($"pupil-{pupil}", RecipientIsContact: true, Typed: true), _policy, out _);
            pupil += decision.Action == EnforcementAction.Allow ? 1 : 0;
            refused += decision.Action == EnforcementAction.Allow ? 0 : 1;
            at = at.AddSeconds(decision.Action == EnforcementAction.Allow ? 1 : 30);
        }

        // The next evening's messages go through.
        Assert.Equal(EnforcementAction.Allow, account.CheckSend(T0.AddDays(1), new OutgoingMessage("pupil-0", true, Typed: true), _policy, out _).Action);
        Assert.Contains(account.Enforcement.History, entry => entry.Action == EnforcementAction.Throttle);
        Assert.All(account.Enforcement.History, entry => Assert.True(entry.Action.Severity() <= EnforcementAction.Throttle.Severity(), $"{entry.Action} at {entry.At}"));
    }

    [Fact]
    public void Refusals_in_several_hours_of_a_day_challenge()
    {
        // Backs off as soon as it is refused, and tries again the next hour: few refusals an hour, but every hour.
        var account = Spammer();
        var sent = 0;
        for (var hour = 0; hour < _policy.Escalation.RefusedHoursPerDay; hour++)
        {
            var at = T0.AddHours(hour);
            while (account.CheckSend(at, new OutgoingMessage($"stranger-{sent++}", false, Typed: true), _policy, out _).Action == EnforcementAction.Allow)
            {
                at = at.AddSeconds(2);
            }
        }

        var features = account.Behaviour.Measure(account.Behaviour.LastEventAt!.Value);
        Assert.Equal(_policy.Escalation.RefusedHoursPerDay, features.RefusedHours24h);
        Assert.Equal(EnforcementAction.Challenge, account.Enforcement.AutomaticAction);
        Assert.Equal(ReasonCode.PersistentThrottling, account.Enforcement.AutomaticReasons[0]);
    }

    [Fact]
    public void Refusals_count_from_the_hour_after_a_passed_challenge()
    {
        var behaviour = new AccountBehaviour();
        var at = T0.AddMinutes(10);
        for (var i = 0; i < 5; i++)
        {
            behaviour.RecordAttempt(at.AddMinutes(i));
            behaviour.RecordAttempt(at.AddHours(1).AddMinutes(i));
        }

        Assert.Equal(2, behaviour.Measure(at.AddHours(1).AddMinutes(10)).RefusedHours24h);
        Assert.Equal(5, behaviour.Measure(at.AddHours(1).AddMinutes(10)).RefusedAttemptsThisHour);

        behaviour.RecordChallengePassed(at.AddMinutes(30));
        var features = behaviour.Measure(at.AddHours(1).AddMinutes(10));
        Assert.Equal(1, features.RefusedHours24h);
        Assert.Equal(at.AddMinutes(30), features.ChallengePassedAt);
        Assert.Equal(2.0 / 3, features.HoursSinceChallengePassed!.Value, 6);
    }

    [Fact]
    public void Three_escalated_suspensions_within_the_repeat_window_ban()
    {
        var account = Spammer();
        var sent = 0;
        SendToStrangers(account, T0, T0.AddDays(4), TimeSpan.FromMinutes(1), ref sent);

        var suspensions = account.Enforcement.History.Where(entry => entry.Action == EnforcementAction.Suspend).ToList();
        var ban = First(account, EnforcementAction.Ban)!;
        Assert.Equal(_policy.SuspensionsBeforeBan - 1, suspensions.Count);
        Assert.Equal([ReasonCode.RepeatOffender, ReasonCode.ChallengeUnanswered], ban.Reasons.Take(2));
        Assert.True(ban.At > suspensions[^1].At);
    }

    [Fact]
    public void A_recent_pass_weighs_against_automation_signals_only()
    {
        var untyped = new Features { TypingKnown24h = 50, UntypedShare24h = 1, Sent24h = 50 };
        var before = RiskModel.Assess(untyped, _policy);
        var after = RiskModel.Assess(untyped with { HoursSinceChallengePassed = 2 }, _policy);
        var forgotten = RiskModel.Assess(untyped with { HoursSinceChallengePassed = _policy.Escalation.PassMemory.TotalHours + 1 }, _policy);

        Assert.Equal(before.Points * _policy.Escalation.PassedAutomationWeight, after.Points, 6);
        Assert.Equal(before.Points, forgotten.Points);
        var strangers = new Features { UnansweredStrangers24h = 100, HoursSinceChallengePassed = 2 };
        Assert.Equal(RiskModel.Assess(strangers with { HoursSinceChallengePassed = null }, _policy).Points, RiskModel.Assess(strangers, _policy).Points);
    }

    private static RiskAssessment Risk(double points)
    {
        var risk = new RiskAssessment();
        if (points > 0)
        {
            risk.Add(ReasonCode.UnansweredStrangers, points);
        }

        return risk;
    }
}
