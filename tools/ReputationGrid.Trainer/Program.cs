using System.CommandLine;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Traffic;
using ReputationGrid.Trainer;

var trainSeeds = new Option<int[]>("--train-seeds") { Description = "Simulator seeds to train on.", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
var testSeeds = new Option<int[]>("--test-seeds") { Description = "Simulator seeds to evaluate on (never trained or tuned on).", DefaultValueFactory = _ => [3], AllowMultipleArgumentsPerToken = true };
var accounts = new Option<int>("--accounts") { Description = "Accounts per seed.", DefaultValueFactory = _ => 3_000 };
var hours = new Option<double>("--hours") { Description = "Simulated hours per seed.", DefaultValueFactory = _ => 24 };
var sampleEvery = new Option<int>("--sample-every") { Description = "One send check in this many keeps a feature snapshot (Policy:Snapshots:SampleEvery of the simulated cluster).", DefaultValueFactory = _ => 5 };
var policy = new Option<FileInfo?>("--policy") { Description = "The hand-tuned policy document the snapshots are taken under and the model is added to (default: the shipped policy)." };
var export = new Option<FileInfo[]>("--export") { Description = "Train from a service's export (bodies of GET /v1/labels/export) instead of the simulator.", AllowMultipleArgumentsPerToken = true };
var output = new Option<string>("--out") { Description = "Directory for the model, the policy with it, the summary, the evaluation and the curves.", DefaultValueFactory = _ => Path.Combine("artifacts", "model") };
var parallelism = new Option<int>("--parallelism") { Description = "Accounts played at once.", DefaultValueFactory = _ => 32 };
var shadowUrl = new Option<Uri?>("--shadow-url") { Description = "Install the trained policy as the shadow candidate of the gateway at this address (PUT /v1/policy/shadow)." };
var apiKey = new Option<string?>("--api-key")
{
    Description = "With --shadow-url: an admin API key, when the gateway requires authentication. Default: the REPUTATIONGRID_API_KEY environment variable.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("REPUTATIONGRID_API_KEY"),
};

var root = new RootCommand(
    "Trains the learned risk model (logistic regression with ML.NET) from labelled feature snapshots, writes it as a policy "
    + "document with the model_risk signal, and evaluates it by account on held-out seeds against the hand-tuned policy.")
{
    trainSeeds, testSeeds, accounts, hours, sampleEvery, policy, export, output, parallelism, shadowUrl, apiKey,
};

root.SetAction(async (parsed, cancellationToken) =>
{
    var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
    ScoringPolicy hand = new();
    if (parsed.GetValue(policy) is { } document)
    {
        if (PolicyDocument.Read(File.ReadAllText(document.FullName), out var errors) is not { } read || PolicyFile.Settings(document.FullName, out _) is not { } fromDocument)
        {
            Console.Error.WriteLine($"{document.Name} is not a valid policy: {string.Join(" ", errors)}");
            return 2;
        }

        (hand, settings) = (read, fromDocument);
    }

    settings["Policy:Snapshots:SampleEvery"] = parsed.GetValue(sampleEvery).ToString(System.Globalization.CultureInfo.InvariantCulture);
    settings["Policy:Snapshots:PerAccount"] = "256";

    TrainingRun run;
    if (parsed.GetValue(export) is { Length: > 0 } files)
    {
        var all = ExportData.Read(files.Select(f => File.ReadAllText(f.FullName)));
        run = new TrainingRun
        {
            Train = [.. all.Where(a => !ExportData.IsTest(a.Account))],
            Test = [.. all.Where(a => ExportData.IsTest(a.Account))],
            TrainSource = $"{files.Length} export file(s), {1 - ExportData.TestShare:P0} of the accounts",
            TestSource = $"the other {ExportData.TestShare:P0} of the accounts",
            HandPolicy = hand,
        };
    }
    else
    {
        var train = parsed.GetValue(trainSeeds)!;
        var test = parsed.GetValue(testSeeds)!;
        if (train.Intersect(test).Any())
        {
            Console.Error.WriteLine("--train-seeds and --test-seeds must differ: a model is never evaluated on what it learned from.");
            return 2;
        }

        async Task<List<LabelledAccount>> CollectAsync(int[] seeds)
        {
            var collected = new List<LabelledAccount>();
            foreach (var seed in seeds)
            {
                Console.WriteLine($"Simulating seed {seed}: {parsed.GetValue(accounts):N0} accounts over {parsed.GetValue(hours)} hours under policy {hand.Version}.");
                // A prefix per seed: the accounts of different seeds are different accounts.
                var population = new PopulationSettings(parsed.GetValue(accounts), TimeSpan.FromHours(parsed.GetValue(hours)), PopulationSettings.DefaultStart, seed, $"seed{seed}");
                collected.AddRange(await SimulatorData.CollectAsync(population, settings, parsed.GetValue(parallelism), cancellationToken));
            }

            return collected;
        }

        run = new TrainingRun
        {
            Train = await CollectAsync(train),
            Test = await CollectAsync(test),
            TrainSource = $"simulator seeds {string.Join(", ", train)}",
            TestSource = $"simulator seed {string.Join(", ", test)}",
            HandPolicy = hand,
        };
    }

    var directory = parsed.GetValue(output)!;
    Console.Write(await run.RunAsync(directory, cancellationToken));
    Console.WriteLine($"Wrote {Path.Combine(directory, TrainingRun.PolicyFile)}, {TrainingRun.ModelFile}, {TrainingRun.SummaryFile}, {TrainingRun.EvaluationFile}, {TrainingRun.RocFile} and {TrainingRun.PrecisionRecallFile}.");
    if (parsed.GetValue(shadowUrl) is not { } gateway)
    {
        return 0;
    }

    if (await ShadowInstall.PutAsync(gateway, parsed.GetValue(apiKey), PolicyDocument.Write(run.Policy!), cancellationToken) is { } refused)
    {
        Console.Error.WriteLine($"The gateway refused the shadow candidate: {refused}");
        return 1;
    }

    Console.WriteLine($"Installed {run.Policy!.Version} as the shadow candidate of {gateway}; GET /v1/policy/shadow/report compares it with the live policy.");
    return 0;
});

return await root.Parse(args).InvokeAsync();
