using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>Refused attempts kept up against the limits, and the answers to challenges, on event time.</summary>
public sealed class EscalationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    // Escalation by pressure on its own: unanswered_recipients would judge these unanswered sends by itself.
    private readonly ScoringPolicy _policy = TestPolicies.WithoutUnansweredRecipients();

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
    public void A_third_challenge_within_the_memory_of_a_pass_suspends()
    {
        // A click farm passes every challenge while it keeps the risk up: the second is asked for, the third suspends.
        var state = new EnforcementState();
        state.Apply(state.Judge(T0, Risk(60), default, _policy), _policy);
        Assert.Equal(EnforcementAction.Challenge, state.AutomaticAction);

        var first = new Features { ChallengePassedAt = T0.AddMinutes(1) };
        state.Apply(state.Judge(T0.AddMinutes(1), Risk(60), first, _policy), _policy);
        Assert.Equal(EnforcementAction.Challenge, state.AutomaticAction);

        var second = new Features { ChallengePassedAt = T0.AddMinutes(2) };
        state.Apply(state.Judge(T0.AddMinutes(2), Risk(60), second, _policy), _policy);
        Assert.Equal(EnforcementAction.Suspend, state.AutomaticAction);
        Assert.Equal(ReasonCode.ChallengeRepeated, state.AutomaticReasons[0]);
    }

    [Fact]
    public void A_pass_answers_only_the_challenge_it_followed()
    {
        // A score challenge, passed, then a second challenge once the pass is no longer remembered: the first pass does not lift it.
        var state = new EnforcementState();
        var passed = new Features { ChallengePassedAt = T0.AddMinutes(5), HoursSinceChallengePassed = 0 };
        state.Apply(state.Judge(T0, Risk(60), default, _policy), _policy);
        Assert.Equal(EnforcementAction.Challenge, state.AutomaticAction);

        state.Apply(state.Judge(T0.AddMinutes(5), Risk(0), passed, _policy), _policy);
        Assert.Equal(EnforcementAction.Throttle, state.AutomaticAction);

        state.Apply(state.Judge(T0.AddHours(25), Risk(60), passed, _policy), _policy);
        Assert.Equal(EnforcementAction.Challenge, state.AutomaticAction);
        state.Apply(state.Judge(T0.AddHours(25).AddMinutes(5), Risk(0), passed, _policy), _policy);
        Assert.Equal(EnforcementAction.Challenge, state.AutomaticAction);

        var second = passed with { ChallengePassedAt = T0.AddHours(25).AddMinutes(6) };
        state.Apply(state.Judge(T0.AddHours(25).AddMinutes(6), Risk(0), second, _policy), _policy);
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
    public void A_prober_that_backs_off_when_refused_is_challenged_once_its_refusals_span_the_window()
    {
        // Backs off 10 then 20 minutes after each refusal: few refusals, but its unanswered sends still call for a throttle.
        var account = Spammer();
        var sent = 0;
        var at = T0;
        while (account.CheckSend(at, new OutgoingMessage($"stranger-{sent++}", false, Typed: true), _policy, out _).Action == EnforcementAction.Allow)
        {
            at = at.AddMinutes(2);
        }

        var second = account.CheckSend(at.AddMinutes(10), new OutgoingMessage($"stranger-{sent++}", false, Typed: true), _policy, out _);
        var third = account.CheckSend(at.AddMinutes(30), new OutgoingMessage($"stranger-{sent++}", false, Typed: true), _policy, out _);

        Assert.Equal(EnforcementAction.Throttle, second.Action);
        Assert.Equal(EnforcementAction.Challenge, third.Action);
        Assert.Equal(ReasonCode.PersistentThrottling, third.Reasons[0]);
    }

    [Fact]
    public void A_stray_reply_does_not_end_the_run_of_a_prober_whose_strangers_mostly_go_unanswered()
    {
        // As above, but one stranger messaged before the throttle answers between the first two refusals.
        var account = Spammer();
        var sent = 0;
        var at = T0;
        while (account.CheckSend(at, new OutgoingMessage($"stranger-{sent++}", false, Typed: true), _policy, out _).Action == EnforcementAction.Allow)
        {
            at = at.AddMinutes(2);
        }

        account.Behaviour.RecordReply(at.AddMinutes(5), "stranger-0");
        account.Reassess(at.AddMinutes(5), _policy);
        account.CheckSend(at.AddMinutes(10), new OutgoingMessage($"stranger-{sent++}", false, Typed: true), _policy, out _);
        var third = account.CheckSend(at.AddMinutes(30), new OutgoingMessage($"stranger-{sent++}", false, Typed: true), _policy, out _);

        Assert.Equal(EnforcementAction.Challenge, third.Action);
        Assert.Equal(ReasonCode.PersistentThrottling, third.Reasons[0]);
    }

    [Fact]
    public void A_reply_ends_the_run_only_while_replies_keep_up_with_the_unanswered_strangers()
    {
        // Ten strangers messaged, then three refusals and a reply: the day's replies decide whether the run ends.
        AccountBehaviour RefusedAfterTenStrangers(int answered)
        {
            var behaviour = new AccountBehaviour();
            for (var i = 0; i < 10; i++)
            {
                var message = new OutgoingMessage($"stranger-{i}", RecipientIsContact: false);
                behaviour.RecordAttempt(T0.AddMinutes(i));
                behaviour.RecordDelivery(T0.AddMinutes(i), message);
            }

            for (var i = 0; i < answered; i++)
            {
                behaviour.RecordReply(T0.AddMinutes(11), $"stranger-{i}");
            }

            behaviour.RecordAttempt(T0.AddMinutes(20));
            behaviour.RecordAttempt(T0.AddMinutes(30));
            behaviour.RecordAttempt(T0.AddMinutes(40));
            behaviour.RecordReply(T0.AddMinutes(41), "stranger-9");
            return behaviour;
        }

        // One answer in ten: 9 unanswered strangers outweigh 1 reply, and the run goes on.
        Assert.Equal(3, RefusedAfterTenStrangers(answered: 0).Measure(T0.AddMinutes(42), new FeedbackPolicy()).RefusalsInRun);
        // Five answers before, the sixth now: 6 replies against 4 unanswered, and the run ends.
        Assert.Equal(0, RefusedAfterTenStrangers(answered: 5).Measure(T0.AddMinutes(42), new FeedbackPolicy()).RefusalsInRun);
    }

    [Fact]
    public void Trying_on_after_recipients_reported_the_account_presses_sooner_even_when_a_reply_eases_the_score()
    {
        // A bought list (a third not even contacts) messaged 2 to 6 minutes apart; after twelve, one of them reports it
        // and then one replies, and the account keeps trying. The reply lifts the score into the throttle's hysteresis,
        // which without the report would count as a recovering score and press only after 90 minutes.
        var account = Spammer();
        for (var (i, at) = (0, T0); at < T0.AddHours(2); i++, at = at.AddMinutes(i % 2 == 0 ? 2 : 6))
        {
            if (i == 12)
            {
                account.Behaviour.RecordNegativeFeedback(at, "listed-3");
            }

            if (i == 14)
            {
                account.Behaviour.RecordReply(at, "listed-6");
            }

            account.CheckSend(at, new OutgoingMessage($"listed-{i}", RecipientIsContact: i % 3 != 0, Typed: true), _policy, out _);
        }

        var throttled = First(account, EnforcementAction.Throttle)!;
        var challenged = First(account, EnforcementAction.Challenge)!;
        var suspended = First(account, EnforcementAction.Suspend)!;
        Assert.Equal(ReasonCode.ReportedWhileIgnored, throttled.Reasons[0]);
        Assert.Equal(ReasonCode.PersistentThrottling, challenged.Reasons[0]);
        Assert.InRange(challenged.At - throttled.At, _policy.Escalation.RefusedWhileReportedFor, _policy.Escalation.RefusedWhileReportedFor + TimeSpan.FromMinutes(12));
        Assert.Equal(challenged.At + _policy.Escalation.ChallengeTimeout, suspended.At);
    }

    [Fact]
    public void A_report_after_a_few_unanswered_sends_throttles_the_sender()
    {
        // Messages a few people of a bought list; minutes later one of them reports it before the next send.
        var account = Spammer();
        for (var i = 0; i < _policy.MinimumSendsWhenReported; i++)
        {
            Assert.Equal(EnforcementAction.Allow, account.CheckSend(T0.AddMinutes(3 * i), new OutgoingMessage($"listed-{i}", true, Typed: true), _policy, out _).Action);
        }

        account.Behaviour.RecordNegativeFeedback(T0.AddMinutes(20), "listed-1");
        var next = account.CheckSend(T0.AddMinutes(21), new OutgoingMessage("listed-9", true, Typed: true), _policy, out _);

        Assert.Equal(EnforcementAction.Throttle, next.Action);
        Assert.Equal([ReasonCode.ReportedWhileIgnored], next.Reasons);
    }

    [Fact]
    public void Refusals_while_only_a_past_burst_is_recovering_do_not_escalate()
    {
        // An organiser creates a dozen groups at once, then keeps writing to friends while the throttle recovers.
        var account = Spammer();
        for (var i = 0; i < 12; i++)
        {
            account.Behaviour.RecordGroupCreated(T0);
        }

        account.Reassess(T0, _policy);
        var refusedLate = 0;
        for (var at = T0.AddMinutes(1); at < T0.AddHours(2); at += TimeSpan.FromMinutes(5))
        {
            var decision = account.CheckSend(at, new OutgoingMessage("friend", true, Typed: true), _policy, out _);
            refusedLate += decision.Action != EnforcementAction.Allow && at - T0 > _policy.Escalation.RefusedFor ? 1 : 0;
        }

        Assert.True(refusedLate > 0, "the throttle should outlast the shorter escalation window");
        Assert.DoesNotContain(account.Enforcement.History, entry => entry.Action.Severity() >= EnforcementAction.Challenge.Severity());
    }

    [Fact]
    public void A_run_of_refusals_ends_with_a_delivery_an_answered_reply_or_a_passed_challenge()
    {
        var behaviour = new AccountBehaviour();
        void Refused(int minute) => behaviour.RecordAttempt(T0.AddMinutes(minute));

        Refused(0);
        Refused(10);
        Refused(25);
        var run = behaviour.Measure(T0.AddMinutes(40), new FeedbackPolicy());
        Assert.Equal(3, run.RefusalsInRun);
        Assert.Equal(25, run.RefusingForMinutes);
        Assert.Equal(0, behaviour.Measure(T0.AddMinutes(90), new FeedbackPolicy()).RefusalsInRun);

        Refused(40);
        behaviour.RecordReply(T0.AddMinutes(41));
        Assert.Equal(0, behaviour.Measure(T0.AddMinutes(42), new FeedbackPolicy()).RefusalsInRun);

        Refused(50);
        behaviour.RecordChallengePassed(T0.AddMinutes(51));
        var passed = behaviour.Measure(T0.AddMinutes(52), new FeedbackPolicy());
        Assert.Equal(0, passed.RefusalsInRun);
        Assert.Equal(T0.AddMinutes(51), passed.ChallengePassedAt);

        Refused(60);
        behaviour.RecordAttempt(T0.AddMinutes(61));
        behaviour.RecordDelivery(T0.AddMinutes(61), new OutgoingMessage("friend", true));
        Assert.Equal(0, behaviour.Measure(T0.AddMinutes(62), new FeedbackPolicy()).RefusalsInRun);
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
