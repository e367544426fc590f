using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

public sealed class RiskModelTests
{
    private readonly ScoringPolicy _policy = new();

    [Fact]
    public void Quiet_behaviour_carries_no_risk()
    {
        var risk = RiskModel.Assess(new Features { AccountAgeHours = 10_000, Attempts15s = 2, Sent24h = 80, NonContactShare24h = 0.1 }, _policy);
        Assert.Equal(0, risk.Points);
        Assert.Null(risk.HardRule);
    }

    [Fact]
    public void A_burst_from_a_new_account_trips_the_hard_rule()
    {
        var risk = RiskModel.Assess(new Features { AccountAgeHours = 0.1, Attempts15s = 50 }, _policy);
        Assert.Equal(ReasonCode.NewAccountBurst, risk.HardRule);
        Assert.Equal(ReasonCode.NewAccountBurst, risk.Reasons(_policy.ReasonMinimumPoints)[0]);
    }

    [Fact]
    public void The_same_burst_from_an_old_account_is_scored_not_banned()
    {
        var risk = RiskModel.Assess(new Features { AccountAgeHours = 10_000, Attempts15s = 50 }, _policy);
        Assert.Null(risk.HardRule);
        Assert.Equal(_policy.Signals.SendRate15s.Weight, risk.Points, 6);
    }

    [Fact]
    public void Young_accounts_carry_more_risk_for_the_same_behaviour()
    {
        var features = new Features { Attempts15s = 13 };
        var old = RiskModel.Assess(features with { AccountAgeHours = 10_000 }, _policy);
        var young = RiskModel.Assess(features with { AccountAgeHours = 1 }, _policy);
        Assert.Equal(old.Points * _policy.NewAccount.RiskMultiplier, young.Points, 6);
    }

    [Fact]
    public void Business_accounts_get_room_to_send_at_volume()
    {
        var features = new Features { AccountAgeHours = 10_000, Attempts1h = 600 };
        Assert.True(RiskModel.Assess(features, _policy).Points > 0);
        Assert.Equal(0, RiskModel.Assess(features with { Business = true }, _policy).Points);
    }

    [Fact]
    public void Replies_offset_messages_to_strangers()
    {
        var strangers = new Features { AccountAgeHours = 10_000, Sent24h = 40, NonContactSent24h = 40, NonContactShare24h = 1 };
        var ignored = RiskModel.Assess(strangers with { UnansweredStrangerShare24h = 1, UnansweredStrangers24h = 40 }, _policy);
        var answered = RiskModel.Assess(strangers with { UnansweredStrangerShare24h = 0.1, UnansweredStrangers24h = 4 }, _policy);
        Assert.True(ignored.Points > 30);
        Assert.Equal(0, answered.Points);
    }

    [Fact]
    public void One_report_from_a_recipient_counts_only_when_almost_nobody_answers()
    {
        var reported = new Features { AccountAgeHours = 10_000, Sent24h = 20, DistinctRecipients24h = 20, CorroboratedFeedback24h = 1 };
        var ignored = RiskModel.Assess(reported with { ReplyRatio24h = 0.02 }, _policy);
        var answered = RiskModel.Assess(reported with { ReplyRatio24h = 0.4 }, _policy);

        Assert.Contains(ReasonCode.ReportedWhileIgnored, ignored.Reasons(_policy.ReasonMinimumPoints));
        Assert.True(ignored.Points >= 100 - _policy.Thresholds.Throttle, $"{ignored.Points} points");
        Assert.DoesNotContain(ReasonCode.ReportedWhileIgnored, answered.Reasons(0));
    }

    [Fact]
    public void A_report_from_a_recipient_counts_once_the_day_holds_the_sends_it_needs_and_nobody_answered()
    {
        var reported = new Features { AccountAgeHours = 10_000, CorroboratedFeedback24h = 1, ReplyRatio24h = 0 };
        var early = RiskModel.Assess(reported with { Sent24h = _policy.MinimumSendsWhenReported - 1, DistinctRecipients24h = 3 }, _policy);
        var enough = RiskModel.Assess(reported with { Sent24h = _policy.MinimumSendsWhenReported, DistinctRecipients24h = 4 }, _policy);

        Assert.Equal(0, early.Points);
        Assert.Equal([ReasonCode.ReportedWhileIgnored], enough.Reasons(_policy.ReasonMinimumPoints));
        Assert.True(enough.Points >= 100 - _policy.Thresholds.Throttle, $"{enough.Points} points");
    }

    [Fact]
    public void Reports_from_strangers_alone_cannot_reach_the_ratio_signal()
    {
        var brigaded = RiskModel.Assess(new Features { AccountAgeHours = 10_000, UncorroboratedFeedback24h = 30 }, _policy);
        Assert.DoesNotContain(ReasonCode.NegativeFeedbackRatio, brigaded.Reasons(0));
        Assert.True(brigaded.Points <= _policy.Signals.NegativeFeedbackCount.Weight);
    }

    [Fact]
    public void Reasons_come_largest_first()
    {
        var risk = RiskModel.Assess(new Features { AccountAgeHours = 10_000, Attempts15s = 20, GroupsCreated10m = 10 }, _policy);
        Assert.Equal([ReasonCode.SendRate15s, ReasonCode.GroupCreation], risk.Reasons(_policy.ReasonMinimumPoints));
    }
}
