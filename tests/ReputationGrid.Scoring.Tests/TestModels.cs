using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>Small hand-written learned models for the tests.</summary>
internal static class TestModels
{
    /// <summary>A model that finds messages to unanswering strangers and untyped sending abusive, and replies honest.</summary>
    public static LearnedModel StrangerSender() => new()
    {
        Name = "test: stranger sender",
        Bias = -4,
        Terms =
        [
            new ModelTerm { Feature = "unansweredStrangers24h", Transform = FeatureTransform.Log1p, Center = 0.5, Scale = 1, Weight = 1.5 },
            new ModelTerm { Feature = "untypedShare24h", Center = 0.1, Scale = 0.3, Weight = 0.8 },
            new ModelTerm { Feature = "replyRatio24h", Center = 0.4, Scale = 0.2, Weight = -0.9 },
            new ModelTerm { Feature = "accountAgeHours", Transform = FeatureTransform.Log1p, Center = 7, Scale = 2, Weight = -0.5 },
        ],
    };

    /// <summary>The default policy carrying <see cref="StrangerSender"/>.</summary>
    public static ScoringPolicy PolicyWithModel(string version = "with-model") => new() { Version = version, Model = StrangerSender() };
}
