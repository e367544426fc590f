using System.Text.Json.Serialization;

namespace ReputationGrid.Scoring.Policy;

/// <summary>How a term turns its feature's value into the model's input.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureTransform>))]
public enum FeatureTransform
{
    /// <summary>The value as it is.</summary>
    None,

    /// <summary>ln(1 + value), with negative values taken as 0: counts spread over orders of magnitude.</summary>
    Log1p,
}

/// <summary>One input of a <see cref="LearnedModel"/>: a named feature, transformed and standardised, times its weight.</summary>
public sealed class ModelTerm
{
    /// <summary>A name of <see cref="NamedFeatures"/>, such as <c>unansweredStrangers24h</c>.</summary>
    public string Feature { get; set; } = "";

    public FeatureTransform Transform { get; set; }

    /// <summary>Subtracted from the transformed value: its mean in the training data, so a contribution is relative to a typical account.</summary>
    public double Center { get; set; }

    /// <summary>Divides the centred value: its standard deviation in the training data.</summary>
    public double Scale { get; set; } = 1;

    public double Weight { get; set; }
}

/// <summary>How much one feature pushed a model's log-odds up for one account.</summary>
public readonly record struct ModelDriver(string Feature, double Contribution);

/// <summary>
/// A learned classifier carried in a policy version: logistic regression over standardised, named features. Its
/// probability that an account is abusive is the <c>ModelRisk</c> signal's value, so it reaches decisions only through
/// that signal's curve. Evaluating it reads the features through <see cref="NamedFeatures"/> and allocates nothing once
/// the terms are resolved on first use; treat a model as read-only once it is in a policy.
/// </summary>
public sealed class LearnedModel
{
    private ResolvedTerm[]? _resolved;

    /// <summary>What the model is and where it came from (the trainer writes its data and seeds here).</summary>
    public string Name { get; set; } = "";

    /// <summary>The log-odds of an account whose every term sits at its centre.</summary>
    public double Bias { get; set; }

    public List<ModelTerm> Terms { get; set; } = [];

    /// <summary>The model's probability, between 0 and 1, that the measured account is abusive.</summary>
    public double Probability(in Features features) => 1 / (1 + Math.Exp(-LogOdds(features)));

    public double LogOdds(in Features features)
    {
        var terms = Resolved();
        var sum = Bias;
        for (var i = 0; i < terms.Length; i++)
        {
            sum += terms[i].Contribution(terms[i].Read(features));
        }

        return sum;
    }

    /// <summary>The probability for features given by value, in the order of <see cref="NamedFeatures.All"/> (a stored snapshot).</summary>
    public double Probability(ReadOnlySpan<double> named)
    {
        var terms = Resolved();
        var sum = Bias;
        for (var i = 0; i < terms.Length; i++)
        {
            sum += terms[i].Contribution(named[terms[i].Index]);
        }

        return 1 / (1 + Math.Exp(-sum));
    }

    /// <summary>The features that pushed the probability up most, largest first, at most <paramref name="count"/> (for operators, not the send path).</summary>
    public ModelDriver[] Drivers(in Features features, int count)
    {
        var terms = Resolved();
        var drivers = new List<ModelDriver>(terms.Length);
        for (var i = 0; i < terms.Length; i++)
        {
            var contribution = terms[i].Contribution(terms[i].Read(features));
            if (contribution > 0)
            {
                drivers.Add(new ModelDriver(Terms[i].Feature, contribution));
            }
        }

        drivers.Sort(static (a, b) => b.Contribution.CompareTo(a.Contribution));
        return [.. drivers.Take(count)];
    }

    internal void Validate(List<string> errors)
    {
        ScoringPolicy.Require(errors, Terms.Count > 0, "Policy:Model:Terms must hold at least one term.");
        ScoringPolicy.Require(errors, double.IsFinite(Bias), "Policy:Model:Bias must be finite.");
        for (var i = 0; i < Terms.Count; i++)
        {
            var term = Terms[i];
            var key = $"Policy:Model:Terms:{i}";
            ScoringPolicy.Require(errors, NamedFeatures.IndexOf(term.Feature) >= 0, $"{key}:Feature '{term.Feature}' is not a named feature.");
            ScoringPolicy.Require(errors, Enum.IsDefined(term.Transform), $"{key}:Transform must be None or Log1p.");
            ScoringPolicy.Require(errors, double.IsFinite(term.Scale) && term.Scale > 0, $"{key}:Scale must be above 0 and finite.");
            ScoringPolicy.Require(errors, double.IsFinite(term.Center) && double.IsFinite(term.Weight), $"{key}: Center and Weight must be finite.");
        }
    }

    // Resolved once, so that evaluation is array reads and arithmetic; two threads resolving at once build equal arrays.
    private ResolvedTerm[] Resolved() => _resolved ??= [.. Terms.Select(static term => new ResolvedTerm(term))];

    private readonly struct ResolvedTerm(ModelTerm term)
    {
        private readonly bool _log = term.Transform == FeatureTransform.Log1p;
        private readonly double _center = term.Center, _scale = term.Scale, _weight = term.Weight;

        public int Index { get; } = NamedFeatures.IndexOf(term.Feature);

        public double Read(in Features features) => NamedFeatures.All[Index].Read(features);

        public double Contribution(double value)
        {
            var input = _log ? Math.Log(1 + Math.Max(value, 0)) : value;
            return _weight * (input - _center) / _scale;
        }
    }
}
