using System.CommandLine;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Running;
using ReputationGrid.Simulator.Scorecards;
using ReputationGrid.Simulator.Traffic;
using Spectre.Console;

var accounts = new Option<int>("--accounts") { Description = "Accounts to simulate.", DefaultValueFactory = _ => 10_000 };
var hours = new Option<double>("--hours") { Description = "Simulated hours.", DefaultValueFactory = _ => 24 };
var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same traffic and the same scorecard.", DefaultValueFactory = _ => 1 };
var start = new Option<DateTimeOffset>("--start") { Description = "Simulated start time (event time; must lie in the past for --url).", DefaultValueFactory = _ => PopulationSettings.DefaultStart };
var url = new Option<string?>("--url") { Description = "Send through the HTTP API of a running gateway (e.g. http://127.0.0.1:5080) instead of an in-process cluster." };
var apiKey = new Option<string?>("--api-key")
{
    Description = "With --url: the API key to send when the gateway requires authentication (an admin key: the simulator sends traffic and reads histories). Default: the REPUTATIONGRID_API_KEY environment variable.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("REPUTATIONGRID_API_KEY"),
};
var prefix = new Option<string>("--prefix") { Description = "Prefix of every simulated id; change it to run again against the same gateway.", DefaultValueFactory = _ => "sim" };
var output = new Option<string>("--out") { Description = "Directory for scorecard.json, scorecard.md and score-over-time.svg.", DefaultValueFactory = _ => Path.Combine("artifacts", "detection") };
var parallelism = new Option<int>("--parallelism") { Description = "Accounts played at once (each account's calls stay in order).", DefaultValueFactory = _ => 64 };
var policy = new Option<FileInfo?>("--policy") { Description = "A policy document (as GET /v1/policy returns) the in-process silos run instead of their default policy." };
var compare = new Option<FileInfo?>("--compare")
{
    Description = "A candidate policy document: the same seeded traffic is also scored under it, and the two scorecards are printed side by side (comparison.md in --out).",
};
var settings = new Option<string[]>("--set")
{
    Description = "Configuration for the in-process silos, KEY=VALUE, e.g. Policy:Thresholds:Throttle=65 (repeatable; applied after --policy, and to both runs of --compare).",
    AllowMultipleArgumentsPerToken = true,
};

accounts.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--accounts must be at least 1.");
    }
});
hours.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() is <= 0 or > 24 * 30)
    {
        result.AddError("--hours must be above 0 and at most 720.");
    }
});
url.Validators.Add(result =>
{
    if (result.GetValueOrDefault<string?>() is { } value && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
    {
        result.AddError($"--url must be an absolute http or https address, got '{value}'.");
    }
});
parallelism.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--parallelism must be at least 1.");
    }
});
foreach (var file in new[] { policy, compare })
{
    file.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<FileInfo?>() is { } given && !given.Exists)
        {
            result.AddError($"{result.Option.Name}: '{given.FullName}' does not exist.");
        }
    });
}

settings.Validators.Add(result =>
{
    if (result.GetValueOrDefault<string[]>()?.FirstOrDefault(s => !s.Contains('=', StringComparison.Ordinal)) is { } bad)
    {
        result.AddError($"--set takes KEY=VALUE, got '{bad}'.");
    }
});

var root = new RootCommand(
    "Plays seeded, labelled traffic (honest people and abuse scenarios) on simulated event time through ReputationGrid "
    + "and writes a detection scorecard. Exits with 1 when a detection target is missed.")
{
    accounts, hours, seed, start, url, apiKey, prefix, output, parallelism, policy, compare, settings,
};

root.SetAction(async (parsed, cancellationToken) =>
{
    if (Console.IsOutputRedirected)
    {
        AnsiConsole.Profile.Width = 160; // a log file has no terminal width: keep the tables on one line per row
    }

    var population = new PopulationSettings(
        parsed.GetValue(accounts), TimeSpan.FromHours(parsed.GetValue(hours)), parsed.GetValue(start), parsed.GetValue(seed), parsed.GetValue(prefix)!);
    var plan = new PopulationPlan(population);
    var overrides = (parsed.GetValue(settings) ?? []).Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
    if (parsed.GetValue(url) is not null && (overrides.Count > 0 || parsed.GetValue(policy) is not null || parsed.GetValue(compare) is not null))
    {
        AnsiConsole.MarkupLine("[red]--set, --policy and --compare configure the in-process cluster; configure a running gateway's policy through its API instead.[/]");
        return 2;
    }

    if (Configuration(parsed.GetValue(policy)) is not { } live || Configuration(parsed.GetValue(compare)) is not { } candidate)
    {
        return 2;
    }

    var scorecard = await ScoreAsync(live);
    var directory = parsed.GetValue(output)!;
    await ScorecardReport.WriteAsync(scorecard, directory, cancellationToken);
    ScorecardReport.Print(scorecard, AnsiConsole.Console);
    AnsiConsole.MarkupLine(Markup.Escape($"Wrote {Path.Combine(directory, ScorecardReport.MarkdownFile)}, {ScorecardReport.JsonFile} and {ScorecardReport.ChartFile}."));
    if (parsed.GetValue(compare) is null)
    {
        return scorecard.TargetsMet ? 0 : 1;
    }

    var comparison = ScorecardComparison.From(scorecard, await ScoreAsync(candidate));
    comparison.Print(AnsiConsole.Console);
    await File.WriteAllTextAsync(Path.Combine(directory, ScorecardComparison.MarkdownFile), comparison.Markdown(), cancellationToken);
    AnsiConsole.MarkupLine(Markup.Escape($"Wrote {Path.Combine(directory, ScorecardComparison.MarkdownFile)}."));
    return comparison.Candidate.TargetsMet ? 0 : 1;

    // The silos' settings: a policy document's (if one is given), then --set; null when the document is invalid.
    Dictionary<string, string?>? Configuration(FileInfo? document)
    {
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document is not null)
        {
            if (PolicyFile.Settings(document.FullName, out var errors) is not { } fromDocument)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"{document.Name} is not a valid policy: {string.Join(" ", errors)}"));
                return null;
            }

            configuration = fromDocument;
        }

        foreach (var (key, value) in overrides)
        {
            configuration[key] = value;
        }

        return configuration;
    }

    async Task<Scorecard> ScoreAsync(Dictionary<string, string?> configuration)
    {
        await using ITrafficTarget target = parsed.GetValue(url) is { } gateway
            ? new HttpTarget(new Uri(gateway), parsed.GetValue(apiKey))
            : await ClusterTarget.StartAsync(configuration);
        AnsiConsole.MarkupLine(Markup.Escape($"Simulating {plan.Count:N0} accounts over {population.Duration.TotalHours:0.##} hours (seed {population.Seed}) through the {target.Description}."));

        var result = await AnsiConsole.Progress()
            .AutoClear(true)
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("accounts played", maxValue: plan.Count);
                return await Simulation.RunAsync(plan, target, parsed.GetValue(parallelism), new Progress<int>(done => task.Value = done), cancellationToken);
            });
        return Scorecard.From(result);
    }
});

return await root.Parse(args).InvokeAsync();
