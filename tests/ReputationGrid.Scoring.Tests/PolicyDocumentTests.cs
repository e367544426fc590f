using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>The policy as a JSON document: the keys of the configuration section, checked by the same validation.</summary>
public sealed class PolicyDocumentTests
{
    [Fact]
    public void A_written_policy_reads_back_as_the_same_policy()
    {
        var policy = new ScoringPolicy { Version = "doc.1", SuspendFor = TimeSpan.FromHours(36) };
        policy.Thresholds.Throttle = 72.5;
        policy.Signals.ClockworkTiming = new SignalPolicy(0.4, 0.1, 33);
        policy.Linking.MinimumActioned = 4;

        var document = PolicyDocument.Write(policy);
        var read = PolicyDocument.Read(document, out var errors);

        Assert.Empty(errors);
        Assert.Equal(document, PolicyDocument.Write(read!));
        Assert.Equal((72.5, TimeSpan.FromHours(36), 33.0, 4), (read!.Thresholds.Throttle, read.SuspendFor, read.Signals.ClockworkTiming.Weight, read.Linking.MinimumActioned));
        Assert.Contains("\"suspendFor\":\"1.12:00:00\"", document, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_those_of_the_configuration_section_in_any_case_and_a_key_left_out_keeps_its_default()
    {
        var read = PolicyDocument.Read("""{"Version": "doc.2", "THRESHOLDS": {"Throttle": 65}, "signals": {"noTyping": {"weight": 12}}}""", out var errors);

        Assert.Empty(errors);
        var defaults = new ScoringPolicy();
        Assert.Equal(("doc.2", 65.0, defaults.Thresholds.Challenge), (read!.Version, read.Thresholds.Throttle, read.Thresholds.Challenge));
        Assert.Equal((defaults.Signals.NoTyping.Start, defaults.Signals.NoTyping.Full, 12.0), (read.Signals.NoTyping.Start, read.Signals.NoTyping.Full, read.Signals.NoTyping.Weight));
    }

    [Fact]
    public void An_invalid_document_gives_the_validations_errors_each_beginning_with_its_key()
    {
        var policy = new ScoringPolicy { Version = "doc.3", RecoveryPointsPerHour = 0 };
        policy.Thresholds.Hysteresis = 60;
        policy.Signals.NoTyping.Weight = -1;

        Assert.Null(PolicyDocument.Read(PolicyDocument.Write(policy), out var errors));

        Assert.Equal(policy.Validate(), errors);
        Assert.Equal(
            ["Policy:RecoveryPointsPerHour", "Policy:Signals:NoTyping:Weight", "Policy:Thresholds:Hysteresis"],
            errors.Select(PolicyDocument.KeyOf).Order());
    }

    [Theory]
    [InlineData("""{"version": "doc.4", "thresholds": {"throtle": 60}}""", "throtle")]
    [InlineData("""{"version": "doc.4", "thresholds": {"throttle": "high"}}""", "Policy:thresholds:throttle")]
    [InlineData("""{"version": "doc.4", "version": "doc.5"}""", "version")]
    [InlineData("""{"version": "doc.4", "suspendFor": "a day"}""", "Policy:suspendFor")]
    [InlineData("""[1, 2]""", "Policy")]
    [InlineData("""{"version": "doc.4",""", "Policy")]
    public void A_document_that_does_not_fit_the_policy_is_refused_naming_where(string document, string named)
    {
        Assert.Null(PolicyDocument.Read(document, out var errors));

        Assert.Contains(named, Assert.Single(errors), StringComparison.Ordinal);
    }
}
