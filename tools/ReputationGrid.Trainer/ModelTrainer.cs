using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Trainer;

/// <summary>One training or scoring row for ML.NET: the standardised inputs of a snapshot.</summary>
public sealed class ModelRow
{
    public bool Label { get; set; }

    public float[] Features { get; set; } = [];

    /// <summary>Each account weighs 1 in all, however many snapshots it has, so busy accounts do not dominate.</summary>
    public float Weight { get; set; }
}

/// <summary>ML.NET's answer for one row.</summary>
public sealed class ModelPrediction
{
    public float Probability { get; set; }
}

/// <summary>
/// Trains the learned model with ML.NET: L-BFGS logistic regression over the named features (counts through ln(1 + x),
/// every input standardised), exported as the core's <see cref="LearnedModel"/>, which evaluates the same function; and,
/// for comparison only, a FastTree ensemble on the same inputs, which the core does not evaluate.
/// </summary>
public sealed class ModelTrainer
{
    /// <summary>
    /// Features the model does not read: refusals exist only because the policy already throttled, so a model that read
    /// them would learn the hand policy's decisions instead of behaviour.
    /// </summary>
    public static readonly IReadOnlySet<string> Excluded = new HashSet<string>(StringComparer.Ordinal) { "refusalsInRun", "refusingForMinutes" };

    private readonly MLContext _ml = new(seed: 1);
    private readonly List<(int Index, FeatureTransform Transform, double Center, double Scale)> _inputs = [];
    private SchemaDefinition? _schema;

    /// <summary>The linear model in the core's form, with its name.</summary>
    public LearnedModel? Linear { get; private set; }

    /// <summary>ML.NET's own logistic regression, to check that the core computes what ML.NET trained.</summary>
    public ITransformer? MlNetLinear { get; private set; }

    /// <summary>The FastTree comparison model.</summary>
    public ITransformer? FastTree { get; private set; }

    /// <summary>Names of the features the model reads, in term order.</summary>
    public IReadOnlyList<string> Inputs => [.. _inputs.Select(i => NamedFeatures.All[i.Index].Name)];

    /// <summary>How a feature's value is transformed: shares and flags as they are, counts through ln(1 + x).</summary>
    public static FeatureTransform TransformOf(string feature) =>
        feature.Contains("Share", StringComparison.Ordinal) || feature.Contains("Ratio", StringComparison.Ordinal) || feature is "timingVariation" or "business"
            ? FeatureTransform.None
            : FeatureTransform.Log1p;

    public void Train(IReadOnlyList<LabelledAccount> accounts, string name, int fastTreeTrees = 100)
    {
        ChooseInputs(accounts);
        var rows = Rows(accounts);
        var data = _ml.Data.LoadFromEnumerable(rows, _schema);

        var linear = _ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(ModelRow.Label),
            FeatureColumnName = nameof(ModelRow.Features),
            ExampleWeightColumnName = nameof(ModelRow.Weight),
            L2Regularization = 0.1f,
            L1Regularization = 0.01f,
            NumberOfThreads = 1,
        }).Fit(data);
        MlNetLinear = linear;
        var weights = linear.Model.SubModel.Weights;
        Linear = new LearnedModel
        {
            Name = name,
            Bias = linear.Model.SubModel.Bias,
            Terms = [.. _inputs.Select((input, i) => new ModelTerm
            {
                Feature = NamedFeatures.All[input.Index].Name,
                Transform = input.Transform,
                Center = input.Center,
                Scale = input.Scale,
                Weight = weights[i],
            }).Where(term => term.Weight != 0)],
        };

        FastTree = _ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = nameof(ModelRow.Label),
            FeatureColumnName = nameof(ModelRow.Features),
            ExampleWeightColumnName = nameof(ModelRow.Weight),
            NumberOfLeaves = 16,
            NumberOfTrees = fastTreeTrees,
            MinimumExampleCountPerLeaf = 10,
            NumberOfThreads = 1,
        }).Fit(data);
    }

    /// <summary>Each snapshot's probability under an ML.NET model, in the order of the accounts and their snapshots.</summary>
    public double[] Predict(ITransformer model, IReadOnlyList<LabelledAccount> accounts)
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(accounts), _schema);
        return [.. model.Transform(data).GetColumn<float>(nameof(ModelPrediction.Probability)).Select(p => (double)p)];
    }

    /// <summary>A one-row-at-a-time predictor, as a send path would have to call ML.NET.</summary>
    public PredictionEngine<ModelRow, ModelPrediction> Engine(ITransformer model) =>
        _ml.Model.CreatePredictionEngine<ModelRow, ModelPrediction>(model, inputSchemaDefinition: _schema);

    /// <summary>A snapshot as the model's standardised inputs.</summary>
    public float[] Standardised(double[] snapshot)
    {
        var inputs = new float[_inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var (index, transform, center, scale) = _inputs[i];
            inputs[i] = (float)((Transformed(snapshot[index], transform) - center) / scale);
        }

        return inputs;
    }

    private static double Transformed(double value, FeatureTransform transform) =>
        transform == FeatureTransform.Log1p ? Math.Log(1 + Math.Max(value, 0)) : value;

    /// <summary>Every named feature that varies in the training data, with its mean and standard deviation after the transform.</summary>
    private void ChooseInputs(IReadOnlyList<LabelledAccount> accounts)
    {
        _inputs.Clear();
        var snapshots = accounts.SelectMany(a => a.Snapshots).ToList();
        for (var index = 0; index < NamedFeatures.All.Length; index++)
        {
            var name = NamedFeatures.All[index].Name;
            if (Excluded.Contains(name))
            {
                continue;
            }

            var transform = TransformOf(name);
            var values = snapshots.Select(s => Transformed(s[index], transform)).ToList();
            var mean = values.Average();
            var deviation = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
            if (deviation > 1e-9)
            {
                _inputs.Add((index, transform, mean, deviation));
            }
        }

        _schema = SchemaDefinition.Create(typeof(ModelRow));
        _schema[nameof(ModelRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, _inputs.Count);
    }

    private List<ModelRow> Rows(IReadOnlyList<LabelledAccount> accounts) =>
    [
        .. accounts.SelectMany(account => account.Snapshots.Select(snapshot => new ModelRow
        {
            Label = account.Abuse,
            Features = Standardised(snapshot),
            Weight = 1f / account.Snapshots.Count,
        })),
    ];
}
