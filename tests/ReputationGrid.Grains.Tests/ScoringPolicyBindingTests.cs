using Microsoft.Extensions.Configuration;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Tests;

/// <summary>Each signal's curve is configured under <c>Policy:Signals:&lt;Name&gt;</c>, as the silo binds it: unknown keys are errors.</summary>
public sealed class ScoringPolicyBindingTests
{
    private static ScoringPolicy Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection("Policy")
            .Get<ScoringPolicy>(binder => binder.ErrorOnUnknownConfiguration = true)!;

    public static TheoryData<string> SignalNames => new(SignalRegistry.All.Select(signal => signal.Name));

    [Theory]
    [MemberData(nameof(SignalNames))]
    public void A_signal_value_set_under_its_key_changes_that_value_of_that_signal_only(string name)
    {
        var signal = SignalRegistry.All.Single(signal => signal.Name == name);
        var defaults = signal.DefaultPolicy();

        var policy = Bind(new() { [$"{signal.PolicyKey}:Weight"] = "123.5" });

        var curve = policy.Signals.Of(signal);
        Assert.Equal((defaults.Start, defaults.Full, 123.5), (curve.Start, curve.Full, curve.Weight));
        Assert.All(SignalRegistry.All.Where(other => other != signal), other =>
            Assert.Equal(other.DefaultPolicy().Weight, policy.Signals.Of(other).Weight));
    }

    [Theory]
    [InlineData("Policy:Signals:SendRate2s:Start", "SendRate2s")]
    [InlineData("Policy:Signals:SendRate15s:Middle", "Middle")]
    [InlineData("Policy:Signals:NewAccountBurst:Weight", "NewAccountBurst")]
    public void An_unknown_signal_key_is_refused(string key, string unknown)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(new() { [key] = "1" }));
        Assert.Contains($"'{unknown}'", error.Message);
    }
}
