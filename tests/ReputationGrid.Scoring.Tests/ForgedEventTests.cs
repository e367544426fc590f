using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>Events users forge or abuse to harm each other, each replayed against the scoring core.</summary>
public sealed class ForgedEventTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _policy = new();

    private static AccountReputation Registered(DateTimeOffset at, string device = "device-1")
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(at, NetworkKind.Mobile, false, "44", "81.2.69.0/24", device));
        return account;
    }

    /// <summary>An account that messaged <paramref name="recipients"/> contacts in the hour before T0, half of whom replied.</summary>
    private AccountReputation Messaging(int recipients, DateTimeOffset registeredAt)
    {
        var account = Registered(registeredAt);
        for (var i = 0; i < recipients; i++)
        {
            var at = T0.AddMinutes(-60).AddSeconds(i * 3600.0 / recipients);
            Assert.Equal(EnforcementAction.Allow, account.CheckSend(at, new OutgoingMessage($"friend-{i}", RecipientIsContact: true, Typed: true), _policy, out _).Action);
            if (i % 2 == 0)
            {
                account.Behaviour.RecordReply(at.AddSeconds(20));
            }
        }

        return account;
    }

    [Fact]
    public void A_second_registration_never_makes_an_account_younger()
    {
        // Replays the attack: a forged registration made a three-year-old account brand new, and a burst then banned it
        // under the new-account rule.
        var account = Registered(T0.AddYears(-3));
        account.Behaviour.RecordRegistration(new Registration(T0, NetworkKind.Voip, false, "44", "10.0.0.0/24", "new-phone"));

        Assert.Equal(T0.AddYears(-3), account.Behaviour.Registration!.At);
        Assert.Equal("new-phone", account.Behaviour.Registration.DeviceId);
        Assert.Equal(1, account.Behaviour.Reregistrations);
        Assert.Equal(T0, account.Behaviour.LastReregisteredAt);
        Decision decision = default!;
        for (var i = 0; i < 60; i++)
        {
            decision = account.CheckSend(T0.AddMinutes(1).AddMilliseconds(200 * i), new OutgoingMessage($"friend-{i % 5}", true), _policy, out _);
        }

        Assert.DoesNotContain(ReasonCode.NewAccountBurst, decision.Reasons);
        Assert.NotEqual(EnforcementAction.Ban, decision.Action);
    }

    [Fact]
    public void A_registration_dated_earlier_makes_an_account_older()
    {
        // A platform onboarding its existing accounts sends their true registration date after a recent one.
        var account = Registered(T0.AddHours(-1));
        account.Behaviour.RecordRegistration(new Registration(T0.AddYears(-2), NetworkKind.Mobile, false, "44", null, null));

        Assert.Equal(T0.AddYears(-2), account.Behaviour.Registration!.At);
        Assert.Equal("device-1", account.Behaviour.Registration.DeviceId); // the latest registration still describes the account
        Assert.Equal(T0.AddHours(-1), account.Behaviour.LastReregisteredAt);
    }

    [Fact]
    public void A_busy_account_is_not_suspended_by_strangers_it_never_messaged_but_a_recipient_still_counts()
    {
        // Replays the attack: past 64 recipients a day the recipient check answered yes for everyone, and 8 strangers'
        // reports suspended the account.
        var account = Messaging(100, T0.AddYears(-2));
        for (var i = 0; i < 8; i++)
        {
            account.Behaviour.RecordNegativeFeedback(T0.AddMinutes(i), $"stranger-{i}");
            account.Reassess(T0.AddMinutes(i), _policy);
        }

        var afterStrangers = account.Review(T0.AddMinutes(10), _policy);
        Assert.True(afterStrangers.Decision.Action.Severity() < EnforcementAction.Challenge.Severity(), $"strangers' reports gave {afterStrangers.Decision.Action}");
        Assert.Equal(0, afterStrangers.Features.CorroboratedFeedback24h);
        Assert.Equal(8, afterStrangers.Features.UncorroboratedFeedback24h);

        account.Behaviour.RecordNegativeFeedback(T0.AddMinutes(11), "friend-70");
        Assert.Equal(1, account.Review(T0.AddMinutes(12), _policy).Features.CorroboratedFeedback24h);
    }

    [Fact]
    public void Reports_from_strangers_alone_throttle_at_most()
    {
        // A young account, whose risk counts half as much again, reported by a hundred strangers.
        var account = Registered(T0.AddHours(-2));
        for (var i = 0; i < 100; i++)
        {
            account.Behaviour.RecordNegativeFeedback(T0.AddSeconds(i), $"stranger-{i}");
            account.Reassess(T0.AddSeconds(i), _policy);
        }

        Assert.Equal(EnforcementAction.Throttle, account.Review(T0.AddMinutes(2), _policy).Decision.Action);
    }

    [Fact]
    public void A_busy_account_reported_by_strangers_that_keeps_sending_is_held_at_a_throttle_and_never_escalates()
    {
        // Replays the attack: strangers' reports throttled a busy account, and its own refused attempts then turned the
        // throttle into a challenge as if it were pressing against the limits.
        var account = Registered(T0.AddYears(-2));
        var at = T0.AddHours(-1);
        for (var i = 0; i < 100; i++, at += TimeSpan.FromSeconds(i % 2 == 0 ? 14 : 58))
        {
            Assert.Equal(EnforcementAction.Allow, account.CheckSend(at, new OutgoingMessage($"friend-{i}", RecipientIsContact: true, Typed: true), _policy, out _).Action);
            account.Behaviour.RecordReply(at.AddSeconds(5));
        }

        for (var i = 0; i < 200; i++)
        {
            account.Behaviour.RecordNegativeFeedback(T0.AddSeconds(3 * i), $"stranger-{i}");
            account.Reassess(T0.AddSeconds(3 * i), _policy);
        }

        Assert.Equal(EnforcementAction.Throttle, account.Review(T0.AddMinutes(10), _policy).Decision.Action);

        // It keeps writing to its contacts every two minutes on average, as a person would, a day and more, while nobody answers.
        var (refused, attempts) = (0, 0);
        for (at = T0.AddMinutes(10); at < T0.AddHours(27); at += TimeSpan.FromMinutes(attempts++ % 2 == 0 ? 0.8 : 3.2))
        {
            var decision = account.CheckSend(at, new OutgoingMessage($"friend-{refused % 100}", RecipientIsContact: true, Typed: true), _policy, out _);
            Assert.True(decision.Action.Severity() <= EnforcementAction.Throttle.Severity(), $"{decision.Action} at {at} for {string.Join(", ", decision.Reasons)}");
            refused += decision.Action == EnforcementAction.Throttle ? 1 : 0;
        }

        Assert.True(refused > 300, $"only {refused} attempts were refused: the reports did not hold the account at a throttle");
        Assert.Equal(EnforcementAction.Allow, account.Review(T0.AddHours(27), _policy).Decision.Action); // free once the reports left the day
        Assert.DoesNotContain(account.Enforcement.History, entry => entry.Action.Severity() > EnforcementAction.Throttle.Severity());
    }

    [Fact]
    public void Reports_from_strangers_add_to_other_evidence_up_to_the_challenge_line()
    {
        var policy = new ScoringPolicy();
        var line = 100 - policy.Thresholds.Challenge;
        Features Reported(long attempts15s) => new() { UncorroboratedFeedback24h = 100, AccountAgeHours = 1000, Attempts15s = attempts15s };

        Assert.Equal(40, RiskModel.Assess(Reported(0), policy).Points, 9); // the count signal in full: a throttle
        Assert.Equal(line, RiskModel.Assess(Reported(13), policy).Points, 9); // 30 points of sending, and strangers up to the line
        Assert.Equal(60, RiskModel.Assess(Reported(20), policy).Points, 9); // sending alone is past it: strangers add nothing
    }

    [Theory]
    [InlineData(ReporterStanding.Young)]
    [InlineData(ReporterStanding.Actioned)]
    public void Reports_from_a_farm_of_young_or_actioned_accounts_do_not_suspend_what_established_recipients_would(ReporterStanding farm)
    {
        var reportedByFriends = Messaging(20, T0.AddYears(-1));
        var reportedByFarm = Messaging(20, T0.AddYears(-1));
        for (var i = 0; i < 10; i++)
        {
            var at = T0.AddMinutes(i);
            reportedByFriends.Behaviour.RecordNegativeFeedback(at, $"friend-{i}");
            reportedByFriends.Reassess(at, _policy);
            reportedByFarm.Behaviour.RecordNegativeFeedback(at, $"friend-{i}", farm);
            reportedByFarm.Reassess(at, _policy);
        }

        Assert.Equal(EnforcementAction.Suspend, reportedByFriends.Review(T0.AddMinutes(10), _policy).Decision.Action);
        Assert.Equal(EnforcementAction.Allow, reportedByFarm.Review(T0.AddMinutes(10), _policy).Decision.Action);
    }

    [Fact]
    public void A_reporter_is_young_after_registering_and_actioned_while_suspended()
    {
        var never = new AccountReputation();
        Assert.Equal(ReporterStanding.Established, never.StandingAt(T0, _policy));

        var young = Registered(T0.AddDays(-1));
        Assert.Equal(ReporterStanding.Young, young.StandingAt(T0, _policy));
        Assert.Equal(ReporterStanding.Established, young.StandingAt(T0.AddDays(7), _policy));

        var suspended = Registered(T0.AddYears(-1));
        suspended.Enforcement.ApplyOverride(OperatorCommand.Suspend, T0, "ops:ana", null, T0.AddDays(1));
        Assert.Equal(ReporterStanding.Actioned, suspended.StandingAt(T0.AddHours(1), _policy));
    }
}
