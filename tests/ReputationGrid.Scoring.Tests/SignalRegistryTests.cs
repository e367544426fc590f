using System.Reflection;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Scoring.Tests;

/// <summary>A signal is one entry of the registry; these fail until everything else about it agrees with that entry.</summary>
public sealed class SignalRegistryTests
{
    private static readonly PropertyInfo[] PolicyProperties = typeof(SignalPolicies)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.PropertyType == typeof(SignalPolicy))
        .ToArray();

    public static TheoryData<string> SignalNames => new(SignalRegistry.All.Select(signal => signal.Name));

    private static Signal Named(string name) => SignalRegistry.All.Single(signal => signal.Name == name);

    [Fact]
    public void Every_signal_reads_a_value_under_a_policy_without_a_model()
    {
        // Operators' views list every signal's value, whether or not its gate lets it count.
        var policy = new ScoringPolicy();
        Assert.All(SignalRegistry.All, signal => Assert.True(double.IsFinite(signal.Read(new Features(), policy)), signal.Name));
    }

    [Fact]
    public void The_registry_holds_as_many_signals_as_an_assessment_has_room_for_each_with_its_own_reason_code()
    {
        Assert.Equal(SignalRegistry.Count, SignalRegistry.All.Length);
        Assert.Equal(SignalRegistry.Count, SignalRegistry.All.Select(signal => signal.Code).Distinct().Count());
        Assert.All(SignalRegistry.All, signal => Assert.True(Enum.IsDefined(signal.Code), $"{signal.Code} is not a reason code"));
        Assert.DoesNotContain(ReasonCode.NewAccountBurst, SignalRegistry.All.Select(signal => signal.Code));
    }

    [Theory]
    [MemberData(nameof(SignalNames))]
    public void Each_signal_has_a_valid_default_policy_configured_under_its_own_name(string name)
    {
        var signal = Named(name);
        var policies = new SignalPolicies();
        var property = Assert.Single(PolicyProperties, property => property.Name == name);

        var configured = (SignalPolicy)property.GetValue(policies)!;
        Assert.Same(policies.Of(signal), configured);
        Assert.Equal(
            (signal.DefaultPolicy().Start, signal.DefaultPolicy().Full, signal.DefaultPolicy().Weight),
            (configured.Start, configured.Full, configured.Weight));
        Assert.Equal($"Policy:Signals:{name}", signal.PolicyKey);

        var errors = new List<string>();
        configured.Validate(errors, signal.PolicyKey);
        Assert.Empty(errors);

        var replaced = new SignalPolicy(1, 2, 3);
        property.SetValue(policies, replaced);
        Assert.Same(replaced, policies.Of(signal));
    }

    [Fact]
    public void Every_signal_policy_property_belongs_to_a_signal()
    {
        Assert.Equal(
            SignalRegistry.All.Select(signal => signal.Name).Order(),
            PolicyProperties.Select(property => property.Name).Order());
    }

    [Theory]
    [MemberData(nameof(SignalNames))]
    public void The_policy_document_names_each_signal_with_its_reason_and_defaults(string name)
    {
        var signal = Named(name);
        var defaults = signal.DefaultPolicy();
        var document = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "docs", "POLICY.md"));

        var row = Assert.Single(document, line => line.StartsWith($"| `{signal.PolicyKey}` ", StringComparison.Ordinal));
        Assert.Contains($"(`{ReasonCodes.Name(signal.Code)}`)", row);
        Assert.EndsWith(FormattableString.Invariant($"| {defaults.Start} | {defaults.Full} | {defaults.Weight} |"), row);
    }

    [Fact]
    public void Every_signal_can_contribute_to_one_assessment()
    {
        var everything = new Features
        {
            AccountAgeHours = 30, Network = NetworkKind.Voip,
            Attempts15s = 20, Attempts1m = 60, Attempts1h = 600, Attempts24h = 3000,
            Sent24h = 100, UnansweredStrangerShare24h = 1, UnansweredStrangers24h = 150,
            GroupsCreated10m = 20, GroupMembersAdded1h = 3000, NonContactGroupMembersAdded1h = 500,
            CorroboratedFeedback24h = 15, DistinctRecipients24h = 100, FingerprintFanout1h = 40, Forwards1h = 150,
            TypingKnown24h = 100, UntypedShare24h = 1, TimedIntervals = 30, TimingVariation = 0,
            LinkedActionedShare = 0.5, LinkedFarmShare = 0.6, LinkedCampaignSenders = 20, RingReplies24h = 5, NonContactSent24h = 10,
            AnswerableFirstContacts2h = 10, UnansweredFirstContactShare = 1,
        };

        var policy = new ScoringPolicy { Model = new LearnedModel { Bias = 20, Terms = [new ModelTerm { Feature = "sent24h" }] } };
        var risk = RiskModel.Assess(everything, policy);

        Assert.Equal(SignalRegistry.All.Select(signal => signal.Code), Enumerable.Range(0, risk.Count).Select(i => risk[i].Reason));
        Assert.Equal(SignalRegistry.All.Sum(signal => signal.DefaultPolicy().Weight), risk.Points, 6);
    }

    [Fact]
    public void An_assessment_refuses_more_contributions_than_there_are_signals()
    {
        var risk = new RiskAssessment();
        for (var i = 0; i < SignalRegistry.Count; i++)
        {
            risk.Add(ReasonCode.SendRate1m, 1);
        }

        Assert.Throws<InvalidOperationException>(() => risk.Add(ReasonCode.SendRate1m, 1));
    }
}
