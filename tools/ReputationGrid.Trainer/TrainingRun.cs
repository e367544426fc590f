using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Simulator.Scorecards;

namespace ReputationGrid.Trainer;

/// <summary>What a training run found on the held-out accounts, for one model.</summary>
public sealed record ModelEvaluation(string Model, double RocArea, IReadOnlyList<RateResult> AtRates, IReadOnlyList<CurvePoint> Curve);

/// <summary>
/// Trains on one set of labelled accounts, evaluates on another (different seeds, different accounts), and writes the
/// model as a policy document, its training-data summary, the evaluation and its curves.
/// </summary>
public sealed class TrainingRun
{
    public const string PolicyFile = "policy-with-model.json";
    public const string ModelFile = "model.json";
    public const string SummaryFile = "training-summary.json";
    public const string EvaluationFile = "evaluation.md";
    public const string RocFile = "model-roc.svg";
    public const string PrecisionRecallFile = "model-precision-recall.svg";

    /// <summary>The honest false-positive rates the scorecard's targets allow: suspend, challenge, any action.</summary>
    public static readonly double[] Rates = [Targets.HonestSuspendOrBan, Targets.HonestChallengeOrWorse, Targets.HonestAnyAction];

    /// <summary>What the <c>model_risk</c> signal can add at most: a throttle on its own, more only with other signals.</summary>
    public const double SignalWeight = 40;

    public required IReadOnlyList<LabelledAccount> Train { get; init; }

    public required IReadOnlyList<LabelledAccount> Test { get; init; }

    /// <summary>Where the data came from, for the model's name and the summary (<c>simulator seeds 1, 2</c>).</summary>
    public required string TrainSource { get; init; }

    public required string TestSource { get; init; }

    /// <summary>The hand-tuned policy the model is added to.</summary>
    public required ScoringPolicy HandPolicy { get; init; }

    public int FastTreeTrees { get; init; } = 100;

    public ScoringPolicy? Policy { get; private set; }

    public IReadOnlyList<ModelEvaluation> Evaluations { get; private set; } = [];

    /// <summary>The largest difference between the core's probability and ML.NET's for the same test snapshot.</summary>
    public double CoreAgreement { get; private set; }

    public OperatingPoint? HandPoint { get; private set; }

    public async Task<string> RunAsync(string directory, CancellationToken cancellationToken = default)
    {
        var trainer = new ModelTrainer();
        var trainSnapshots = Train.Sum(a => a.Snapshots.Count);
        trainer.Train(Train, $"logistic regression (ML.NET L-BFGS) on {TrainSource}: {Train.Count} accounts, {trainSnapshots} snapshots", FastTreeTrees);
        var model = trainer.Linear!;

        var coreTest = Test.SelectMany(a => a.Snapshots).Select(s => model.Probability(s)).ToArray();
        var mlNetTest = trainer.Predict(trainer.MlNetLinear!, Test);
        CoreAgreement = coreTest.Zip(mlNetTest, (a, b) => Math.Abs(a - b)).DefaultIfEmpty().Max();
        var fastTreeTest = trainer.Predict(trainer.FastTree!, Test);
        Evaluations =
        [
            Evaluate("logistic regression, evaluated by the core", Evaluation.AccountScores(Test, coreTest)),
            Evaluate("FastTree (ML.NET only, for comparison)", Evaluation.AccountScores(Test, fastTreeTest)),
        ];
        HandPoint = Test.All(a => a.ActionedByPolicy is not null) ? Evaluation.PolicyPoint(Test) : null;

        Policy = WithModel(model, Evaluation.AccountScores(Train, [.. Train.SelectMany(a => a.Snapshots).Select(s => model.Probability(s))]));
        var cost = MeasureCost(trainer, model);

        Directory.CreateDirectory(directory);
        var document = PolicyDocument.Write(Policy);
        await File.WriteAllTextAsync(Path.Combine(directory, PolicyFile), document, cancellationToken);
        var modelNode = JsonNode.Parse(document)!["model"]!;
        await File.WriteAllTextAsync(Path.Combine(directory, ModelFile), modelNode.ToJsonString(Indented), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, SummaryFile), Summary(trainer), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, RocFile), Roc(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, PrecisionRecallFile), PrecisionRecall(), cancellationToken);
        var report = Report(cost);
        await File.WriteAllTextAsync(Path.Combine(directory, EvaluationFile), report, cancellationToken);
        return report;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private ModelEvaluation Evaluate(string name, double[] scores)
    {
        var curve = Evaluation.Curve(Test, scores);
        return new ModelEvaluation(name, Evaluation.RocArea(curve), [.. Rates.Select(rate => Evaluation.AtRate(Test, scores, rate))], curve);
    }

    /// <summary>
    /// The hand policy with the model and a curve chosen on the training accounts only: no points up to the probability
    /// that flags 1% of honest training accounts, all of them from the one that flags 0.01%.
    /// </summary>
    private ScoringPolicy WithModel(LearnedModel model, double[] trainScores)
    {
        var policy = PolicyDocument.Read(PolicyDocument.Write(HandPolicy), out _)!;
        var start = Evaluation.AtRate(Train, trainScores, Targets.HonestAnyAction).Threshold;
        var full = Evaluation.AtRate(Train, trainScores, Targets.HonestSuspendOrBan).Threshold;
        start = double.IsFinite(start) ? Math.Clamp(start, 0, 0.98) : 0.5;
        full = double.IsFinite(full) && full > start ? Math.Min(full, 1) : Math.Min(1, start + 0.01);
        policy.Model = model;
        policy.Signals.ModelRisk = new SignalPolicy(Math.Round(start, 4), Math.Round(full, 4), SignalWeight);
        policy.Version = $"{HandPolicy.Version}+model";
        return policy;
    }

    /// <summary>Time per evaluation of the core's form and of ML.NET's FastTree, one snapshot at a time as a send check would.</summary>
    private static (double CoreNanoseconds, long CoreBytes, double FastTreeNanoseconds) MeasureCost(ModelTrainer trainer, LearnedModel model)
    {
        const int Calls = 200_000;
        var features = new Features { AccountAgeHours = 200, Attempts1h = 40, Sent24h = 90, UnansweredStrangers24h = 30, ReplyRatio24h = 0.2, UntypedShare24h = 0.4 };
        var sink = model.Probability(features);
        var watch = new Stopwatch();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        watch.Start();
        for (var i = 0; i < Calls; i++)
        {
            sink += model.Probability(features);
        }

        var core = watch.Elapsed.TotalNanoseconds / Calls;
        var coreBytes = GC.GetAllocatedBytesForCurrentThread() - bytes;

        var engine = trainer.Engine(trainer.FastTree!);
        var row = new ModelRow { Features = trainer.Standardised(NamedFeatures.All.Select(f => f.Read(features)).ToArray()) };
        sink += engine.Predict(row).Probability;
        watch.Restart();
        for (var i = 0; i < Calls / 10; i++)
        {
            sink += engine.Predict(row).Probability;
        }

        var fastTree = watch.Elapsed.TotalNanoseconds / (Calls / 10);
        GC.KeepAlive(sink); // the sums keep the calls from being optimised away
        return (core, coreBytes, fastTree);
    }

    private string Summary(ModelTrainer trainer) => JsonSerializer.Serialize(
        new
        {
            train = Describe(Train, TrainSource),
            test = Describe(Test, TestSource),
            inputs = trainer.Inputs,
            excluded = ModelTrainer.Excluded,
            terms = Policy!.Model!.Terms.Count,
            signal = new { start = Policy.Signals.ModelRisk.Start, full = Policy.Signals.ModelRisk.Full, weight = Policy.Signals.ModelRisk.Weight },
            coreAgreementWithMlNet = CoreAgreement,
        },
        Indented);

    private static object Describe(IReadOnlyList<LabelledAccount> accounts, string source) => new
    {
        source,
        accounts = accounts.Count,
        abusive = accounts.Count(a => a.Abuse),
        snapshots = accounts.Sum(a => a.Snapshots.Count),
        withoutSnapshots = accounts.Count(a => a.Snapshots.Count == 0),
        groups = accounts.GroupBy(a => a.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new { accounts = g.Count(), snapshots = g.Sum(a => a.Snapshots.Count) }),
    };

    private static readonly string[] Colours = ["#2b6cb0", "#d69e2e"];

    private string Roc() => CurveChart.Svg(
        $"ROC by account, {TestSource}",
        "honest accounts flagged (log scale)",
        "abusive accounts flagged",
        logX: true,
        [.. Evaluations.Select((e, i) => new ChartLine($"{Short(e.Model)} (AUC {e.RocArea:0.000})", Colours[i], [.. e.Curve.Select(p => (p.FalsePositiveRate, p.Recall))]))],
        HandPoint is { } hand ? [new ChartMarker("hand policy (any action)", "#c53030", hand.FalsePositiveRate, hand.Recall)] : [],
        Rates);

    private string PrecisionRecall() => CurveChart.Svg(
        $"Precision and recall by account, {TestSource}",
        "recall (abusive accounts flagged)",
        "precision",
        logX: false,
        [.. Evaluations.Select((e, i) => new ChartLine(Short(e.Model), Colours[i], [.. e.Curve.Skip(1).Select(p => (p.Recall, p.Precision))]))],
        HandPoint is { } hand ? [new ChartMarker("hand policy (any action)", "#c53030", hand.Recall, hand.Precision)] : [],
        []);

    /// <summary>The model's name up to its first comma, for a legend: <c>logistic regression</c>, <c>FastTree</c>.</summary>
    private static string Short(string model) => model.Split(',')[0].Replace(" (ML.NET only", "", StringComparison.Ordinal);

    private string Report((double CoreNanoseconds, long CoreBytes, double FastTreeNanoseconds) cost)
    {
        var text = new StringBuilder();
        var policy = Policy!;
        text.AppendLine(Invariant($"Trained on {TrainSource} ({Train.Count} accounts, {Train.Count(a => a.Abuse)} abusive, {Train.Sum(a => a.Snapshots.Count)} snapshots); tested on {TestSource} ({Test.Count} accounts, {Test.Count(a => a.Abuse)} abusive, {Test.Sum(a => a.Snapshots.Count)} snapshots)."));
        text.AppendLine(Invariant($"The core's probability differs from ML.NET's by at most {CoreAgreement:G3} on the test snapshots."));
        text.AppendLine(Invariant($"Signal curve chosen on the training accounts: start {policy.Signals.ModelRisk.Start}, full {policy.Signals.ModelRisk.Full}, weight {policy.Signals.ModelRisk.Weight}."));
        text.AppendLine();
        text.AppendLine("| model | ROC AUC | honest rate allowed | threshold | honest flagged | recall | adaptive abusers' recall | honest hard cases flagged |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var evaluation in Evaluations)
        {
            foreach (var at in evaluation.AtRates)
            {
                text.AppendLine(Invariant($"| {evaluation.Model} | {evaluation.RocArea:0.0000} | {at.TargetRate:P2} ({at.AllowedHonest} accounts) | {at.Threshold:0.0000} | {at.FlaggedHonest} | {at.Recall:P1} | {at.AdaptiveRecall:P1} | {at.HardCaseRate:P1} |"));
            }
        }

        if (HandPoint is { } hand)
        {
            text.AppendLine(Invariant($"| hand policy (any action) | | | | {hand.FalsePositiveRate:P2} of honest | {hand.Recall:P1} | {hand.AdaptiveRecall:P1} | {hand.HardCaseRate:P1} |"));
        }

        text.AppendLine();
        text.AppendLine(Invariant($"Evaluating one snapshot: the core's form {cost.CoreNanoseconds:0} ns ({cost.CoreBytes} bytes allocated over 200,000 calls); ML.NET's FastTree through a prediction engine {cost.FastTreeNanoseconds:0} ns."));
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
