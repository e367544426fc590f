using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

public sealed class ScoringPolicyTests
{
    [Fact]
    public void The_default_policy_is_valid()
    {
        Assert.Empty(new ScoringPolicy().Validate());
    }

    [Fact]
    public void Validation_names_each_bad_value()
    {
        var policy = new ScoringPolicy { Version = " ", RecoveryPointsPerHour = 0, MinimumSendsWhenReported = 0, MinimumAnswerableFirstContacts = 0, ListMessagesPerRecipient = 1 };
        policy.Thresholds.Challenge = 80;
        policy.Signals.SendRate15s.Full = policy.Signals.SendRate15s.Start;
        policy.Signals.NoTyping.Weight = -1;

        var errors = policy.Validate();

        Assert.Contains(errors, e => e.Contains("Policy:Version"));
        Assert.Contains(errors, e => e.Contains("RecoveryPointsPerHour"));
        Assert.Contains(errors, e => e.Contains("Policy:MinimumSendsWhenReported"));
        Assert.Contains(errors, e => e.Contains("Policy:MinimumAnswerableFirstContacts"));
        Assert.Contains(errors, e => e.Contains("Policy:ListMessagesPerRecipient"));
        Assert.Contains(errors, e => e.Contains("Throttle > Challenge > Suspend"));
        Assert.Contains(errors, e => e.Contains("Signals:SendRate15s"));
        Assert.Contains(errors, e => e.Contains("Signals:NoTyping:Weight"));
    }

    [Fact]
    public void Escalation_that_one_episode_could_trigger_or_that_never_ends_is_refused()
    {
        var policy = new ScoringPolicy();
        policy.Escalation.MinimumRefusals = 1;
        policy.Escalation.WarnedRefusedFor = TimeSpan.FromHours(2);
        policy.Escalation.RefusedWhileRecoveringFor = TimeSpan.FromMinutes(10);
        policy.Escalation.RefusedWhileReportedFor = TimeSpan.FromHours(1);
        policy.Escalation.ChallengeTimeout = TimeSpan.Zero;
        policy.Escalation.PassedAutomationWeight = 1.5;

        var errors = policy.Validate();

        Assert.Contains(errors, e => e.Contains("Policy:Escalation:MinimumRefusals"));
        Assert.Contains(errors, e => e.Contains("Policy:Escalation:WarnedRefusedFor"));
        Assert.Contains(errors, e => e.Contains("Policy:Escalation:RefusedWhileRecoveringFor"));
        Assert.Contains(errors, e => e.Contains("Policy:Escalation:RefusedWhileReportedFor"));
        Assert.Contains(errors, e => e.Contains("Policy:Escalation:ChallengeTimeout"));
        Assert.Contains(errors, e => e.Contains("Policy:Escalation:PassedAutomationWeight"));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(6, 0)]
    [InlineData(13, 30)]
    [InlineData(20, 60)]
    [InlineData(500, 60)]
    public void A_signal_rises_linearly_from_start_to_full(double value, double points)
    {
        Assert.Equal(points, new SignalPolicy(6, 20, 60).Points(value), 6);
    }

    [Fact]
    public void A_signal_can_run_downwards()
    {
        var clockwork = new SignalPolicy(0.3, 0.05, 30);
        Assert.Equal(0, clockwork.Points(1.2));
        Assert.Equal(30, clockwork.Points(0.01));
    }

    [Fact]
    public void Reason_codes_have_stable_snake_case_names()
    {
        Assert.Equal("new_account_burst", ReasonCodes.Name(ReasonCode.NewAccountBurst));
        Assert.Equal("send_rate_15s", ReasonCodes.Name(ReasonCode.SendRate15s));
        Assert.Equal("send_rate_24h", ReasonCodes.Name(ReasonCode.SendRate24h));
        Assert.Equal("operator_allowlist", ReasonCodes.Name(ReasonCode.OperatorAllowlist));
    }
}
