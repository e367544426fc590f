using ReputationGrid.Scoring.Policy;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Scorecards;

namespace ReputationGrid.Simulator.Tests;

/// <summary>The simulator's command line, through its real entry point.</summary>
public sealed class CommandLineTests
{
    // The compiled entry point is the synchronous Main that waits for the program: run it off the test's thread.
    private static Task<int> RunAsync(params string[] args) =>
        Task.Run(() => (int)typeof(PopulationPlan).Assembly.EntryPoint!.Invoke(null, [args])!, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("--url", "ftp://127.0.0.1:5080")]
    [InlineData("--url", "127.0.0.1:5080")]
    [InlineData("--accounts", "0")]
    [InlineData("--set", "Policy:Version")]
    public async Task Bad_options_are_refused_before_anything_runs(string option, string value)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"simulator-cli-{Guid.NewGuid():N}");
        Assert.NotEqual(0, await RunAsync(option, value, "--out", directory));
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task A_small_run_writes_the_scorecard_with_the_policy_it_was_given()
    {
        var directory = Directory.CreateTempSubdirectory("simulator-cli-").FullName;
        try
        {
            var exit = await RunAsync("--accounts", "300", "--hours", "6", "--seed", "3", "--set", "Policy:Version=cli-test.1", "--out", directory);

            var json = await File.ReadAllTextAsync(Path.Combine(directory, ScorecardReport.JsonFile), TestContext.Current.CancellationToken);
            Assert.Contains("\"policyVersion\": \"cli-test.1\"", json);
            Assert.True(File.Exists(Path.Combine(directory, ScorecardReport.MarkdownFile)));
            Assert.True(File.Exists(Path.Combine(directory, ScorecardReport.ChartFile)));
            Assert.Contains(exit, new[] { 0, 1 });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Compare_scores_two_policy_documents_on_the_same_traffic_side_by_side()
    {
        var directory = Directory.CreateTempSubdirectory("simulator-compare-").FullName;
        try
        {
            var live = Path.Combine(directory, "live.json");
            var candidate = Path.Combine(directory, "candidate.json");
            await File.WriteAllTextAsync(live, PolicyDocument.Write(new ScoringPolicy { Version = "compare-live" }), TestContext.Current.CancellationToken);
            // Throttling below a score of 100 acts on any risk at all: honest people pay for it.
            var strict = new ScoringPolicy { Version = "compare-strict" };
            strict.Thresholds.Throttle = 100;
            await File.WriteAllTextAsync(candidate, PolicyDocument.Write(strict), TestContext.Current.CancellationToken);

            var exit = await RunAsync("--accounts", "200", "--hours", "3", "--seed", "5", "--policy", live, "--compare", candidate, "--out", directory);

            var scorecard = await File.ReadAllTextAsync(Path.Combine(directory, ScorecardReport.JsonFile), TestContext.Current.CancellationToken);
            var comparison = await File.ReadAllLinesAsync(Path.Combine(directory, ScorecardComparison.MarkdownFile), TestContext.Current.CancellationToken);
            Assert.Contains("\"policyVersion\": \"compare-live\"", scorecard);
            Assert.Contains(comparison, line => line.Contains("| compare-live | compare-strict | difference |", StringComparison.Ordinal));
            var honest = comparison.Single(line => line.StartsWith($"| {HonestResult.AllLabel} | any action |", StringComparison.Ordinal)).Split('|');
            Assert.StartsWith("+", honest[5].Trim(), StringComparison.Ordinal);
            Assert.Contains(exit, new[] { 0, 1 });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_invalid_policy_document_is_refused_before_anything_runs()
    {
        var directory = Directory.CreateTempSubdirectory("simulator-policy-").FullName;
        try
        {
            var invalid = Path.Combine(directory, "invalid.json");
            await File.WriteAllTextAsync(invalid, """{"version": "bad", "thresholds": {"throttle": 150}}""", TestContext.Current.CancellationToken);

            Assert.Equal(2, await RunAsync("--accounts", "10", "--policy", invalid, "--out", directory));
            Assert.False(File.Exists(Path.Combine(directory, ScorecardReport.JsonFile)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
