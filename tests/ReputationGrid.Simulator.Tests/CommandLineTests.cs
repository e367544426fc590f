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
}
