using Microsoft.Extensions.Configuration;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Simulator.Traffic;

namespace ReputationGrid.Simulator.Tests;

public sealed class PolicyFileTests
{
    [Fact]
    public void A_policy_with_a_model_becomes_settings_that_bind_to_the_same_model()
    {
        var policy = new ScoringPolicy
        {
            Version = "with-model",
            Model = new LearnedModel
            {
                Name = "two terms",
                Bias = -3,
                Terms =
                [
                    new ModelTerm { Feature = "unansweredStrangers24h", Transform = FeatureTransform.Log1p, Center = 0.5, Scale = 1.25, Weight = 2 },
                    new ModelTerm { Feature = "replyRatio24h", Center = 0.4, Scale = 0.2, Weight = -0.75 },
                ],
            },
        };
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, PolicyDocument.Write(policy));
            var settings = PolicyFile.Settings(path, out var errors);

            Assert.Empty(errors);
            var bound = new ScoringPolicy();
            new ConfigurationBuilder().AddInMemoryCollection(settings!).Build()
                .GetSection("Policy").Bind(bound, binder => binder.ErrorOnUnknownConfiguration = true);
            Assert.Empty(bound.Validate());
            var features = new Features { UnansweredStrangers24h = 30, ReplyRatio24h = 0.1 };
            Assert.Equal(policy.Model.Probability(features), bound.Model!.Probability(features));
            Assert.Equal(PolicyDocument.Write(policy), PolicyDocument.Write(bound));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
