using System.Text.Json.Nodes;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>A learned model in a policy: evaluated in the core, and reaching decisions only through the <c>model_risk</c> signal.</summary>
public sealed class LearnedModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly Features StrangerSending = new()
    {
        AccountAgeHours = 30, Attempts1h = 60, Attempts24h = 120, Sent24h = 120, NonContactSent24h = 110, DistinctRecipients24h = 115,
        ReplyRatio24h = 0.02, UnansweredStrangers24h = 105, UnansweredStrangerShare24h = 0.9, TypingKnown24h = 120, UntypedShare24h = 0.7,
    };

    private static readonly Features Ordinary = new()
    {
        AccountAgeHours = 20_000, Attempts1h = 8, Attempts24h = 40, Sent24h = 40, DistinctRecipients24h = 9, ReplyRatio24h = 0.6,
        TypingKnown24h = 40, UntypedShare24h = 0.05,
    };

    [Fact]
    public void The_probability_is_the_logistic_of_the_weighted_standardised_terms()
    {
        var model = TestModels.StrangerSender();

        var logOdds = -4
            + (1.5 * (Math.Log(1 + 105) - 0.5) / 1)
            + (0.8 * (0.7 - 0.1) / 0.3)
            + (-0.9 * (0.02 - 0.4) / 0.2)
            + (-0.5 * (Math.Log(1 + 30) - 7) / 2);

        Assert.Equal(logOdds, model.LogOdds(StrangerSending), 12);
        Assert.Equal(1 / (1 + Math.Exp(-logOdds)), model.Probability(StrangerSending), 12);
        Assert.True(model.Probability(Ordinary) < 0.01);
    }

    [Fact]
    public void Evaluation_is_deterministic_and_survives_the_policy_document()
    {
        var policy = TestModels.PolicyWithModel();
        var copy = PolicyDocument.Read(PolicyDocument.Write(policy), out var errors);

        Assert.Empty(errors);
        var first = policy.Model!.Probability(StrangerSending);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(policy.Model.Probability(StrangerSending)));
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(copy!.Model!.Probability(StrangerSending)));
        Assert.Equal(
            BitConverter.DoubleToInt64Bits(RiskModel.Assess(StrangerSending, policy).Points),
            BitConverter.DoubleToInt64Bits(RiskModel.Assess(StrangerSending, copy).Points));
    }

    [Fact]
    public void A_policy_without_a_model_writes_no_model_section_and_never_judges_the_signal()
    {
        var policy = new ScoringPolicy();
        var document = JsonNode.Parse(PolicyDocument.Write(policy))!.AsObject();

        Assert.False(document.ContainsKey("model"));
        Assert.Null(PolicyDocument.Read(document.ToJsonString(), out _)!.Model);
        var risk = RiskModel.Assess(StrangerSending, policy);
        Assert.DoesNotContain(ReasonCode.ModelRisk, Enumerable.Range(0, risk.Count).Select(i => risk[i].Reason));
    }

    [Fact]
    public void A_model_adds_its_signal_and_leaves_every_other_contribution_as_it_was()
    {
        var without = new ScoringPolicy();
        var with = TestModels.PolicyWithModel();
        foreach (var features in new[] { StrangerSending, Ordinary, StrangerSending with { AccountAgeHours = 5_000 } })
        {
            var before = RiskModel.Assess(features, without);
            var after = RiskModel.Assess(features, with);
            var scale = features.AccountAge < with.NewAccount.YoungFor ? with.NewAccount.RiskMultiplier : 1;
            var expected = with.Signals.ModelRisk.Points(with.Model!.Probability(features)) * scale;

            var others = Enumerable.Range(0, after.Count).Select(i => after[i]).Where(c => c.Reason != ReasonCode.ModelRisk).ToList();
            Assert.Equal(Enumerable.Range(0, before.Count).Select(i => before[i]), others);
            Assert.Equal(before.Points + expected, after.Points, 9);
        }

        Assert.True(RiskModel.Assess(StrangerSending, with).Points > RiskModel.Assess(StrangerSending, without).Points);
    }

    [Fact]
    public void A_model_whose_signal_weighs_nothing_decides_exactly_as_the_policy_without_it()
    {
        var plain = new AccountReputation();
        var modelled = new AccountReputation();
        var without = new ScoringPolicy();
        var weightless = TestModels.PolicyWithModel(without.Version);
        weightless.Signals.ModelRisk = new SignalPolicy(0.5, 0.99, 0);
        var withModel = TestModels.PolicyWithModel(without.Version);
        var differs = false;
        foreach (var account in new[] { plain, modelled })
        {
            account.Behaviour.RecordRegistration(new Registration(T0.AddHours(-30), NetworkKind.Mobile, false, "44", "81.2.69.0/24", "device-1"));
        }

        for (var i = 0; i < 120; i++)
        {
            var at = T0.AddSeconds(i * 40);
            var message = new OutgoingMessage($"stranger-{i}", false, Typed: i % 3 == 0);
            var expected = plain.CheckSend(at, message, without, out _);
            var decision = modelled.CheckSend(at, message, weightless, withModel, out _, out var shadow);
            Assert.Equal((expected.Action, expected.Score), (decision.Action, decision.Score));
            Assert.Equal(expected.Reasons, decision.Reasons);
            differs |= shadow.Reasons.Contains(ReasonCode.ModelRisk);
        }

        Assert.Equal(plain.Encode(), modelled.Encode());
        Assert.True(differs, "the weighted model in the shadow gave its reason at least once");
    }

    [Fact]
    public void A_decision_names_model_risk_when_the_model_drives_it()
    {
        var policy = TestModels.PolicyWithModel();
        policy.Signals.ModelRisk = new SignalPolicy(0.2, 0.6, 60);
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0.AddDays(-3), NetworkKind.Mobile, false, "44", "81.2.69.0/24", "device-1"));
        Decision decision = default;
        for (var i = 0; i < 60 && decision.Action == EnforcementAction.Allow; i++)
        {
            decision = account.CheckSend(T0.AddMinutes(i * 2), new OutgoingMessage($"stranger-{i}", false, Typed: false), policy, out _);
        }

        Assert.NotEqual(EnforcementAction.Allow, decision.Action);
        Assert.Contains(ReasonCode.ModelRisk, decision.Reasons);
        Assert.Equal("model_risk", ReasonCodes.Name(ReasonCode.ModelRisk));
    }

    [Fact]
    public void The_drivers_are_the_features_that_pushed_the_log_odds_up_most()
    {
        var model = TestModels.StrangerSender();

        var drivers = model.Drivers(StrangerSending, 2); // a reply ratio far below the typical one pushes up more than untyped sending

        Assert.Equal(["unansweredStrangers24h", "replyRatio24h"], drivers.Select(d => d.Feature));
        Assert.True(drivers[0].Contribution > drivers[1].Contribution);
        Assert.DoesNotContain(model.Drivers(Ordinary, 3), d => d.Feature == "replyRatio24h");
    }

    [Fact]
    public void A_model_section_is_read_from_a_document_and_its_errors_name_their_keys()
    {
        const string Document = """
            { "version": "m1", "model": { "name": "tiny", "bias": -2,
              "terms": [ { "feature": "unansweredStrangers24h", "transform": "log1p", "center": 1, "scale": 2, "weight": 1 } ] },
              "signals": { "modelRisk": { "weight": 30 } } }
            """;
        var policy = PolicyDocument.Read(Document, out var errors);

        Assert.Empty(errors);
        Assert.Equal(("tiny", FeatureTransform.Log1p, 30.0), (policy!.Model!.Name, policy.Model.Terms[0].Transform, policy.Signals.ModelRisk.Weight));

        var bad = PolicyDocument.Read(
            """{ "version": "m2", "model": { "terms": [ { "feature": "messageText", "scale": 0 } ] } }""", out var badErrors);
        Assert.Null(bad);
        Assert.Equal(["Policy:Model:Terms:0:Feature", "Policy:Model:Terms:0:Scale"], badErrors.Select(PolicyDocument.KeyOf));
    }
}
