using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Grains.Linking;
using ReputationGrid.Host;
using ReputationGrid.ServiceDefaults;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Running;
using ReputationGrid.Simulator.Scorecards;
using ReputationGrid.Simulator.Traffic;
using ReputationGrid.Testing;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Simulator.Tests;

/// <summary>Same seed, same scorecard: whatever the interleaving of accounts, and whether through the grains or the HTTP API.</summary>
public sealed class ReproducibilityTests
{
    private static readonly PopulationSettings Small = new(400, TimeSpan.FromHours(24), PopulationSettings.DefaultStart, Seed: 11);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_same_seed_gives_the_same_scorecard_in_process_at_any_parallelism_and_over_http()
    {
        var sequential = await InProcessAsync(parallelism: 1);
        var parallel = await InProcessAsync(parallelism: 64);
        var overHttp = await OverHttpAsync();

        Assert.Equal(Detection(sequential), Detection(parallel));
        Assert.Equal(Detection(sequential), Detection(overHttp));
        Assert.Contains("HTTP gateway", overHttp.Run.Target);
        Assert.True(sequential.Scenarios.Sum(s => s.Delivered) > 0);
    }

    private static async Task<Scorecard> InProcessAsync(int parallelism)
    {
        await using var target = await ClusterTarget.StartAsync(new Dictionary<string, string?>());
        return Scorecard.From(await Simulation.RunAsync(new PopulationPlan(Small), target, parallelism, cancellationToken: Cancel));
    }

    private static async Task<Scorecard> OverHttpAsync()
    {
        await using var app = EmbeddedHost.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--Clustering:SiloPort", LoopbackPorts.Free().ToString(),
            "--Clustering:GatewayPort", LoopbackPorts.Free().ToString(),
            "--Gateway:GrpcUrl", "", // HTTP only
            "--Gateway:MaxPastSkew", "3650.00:00:00", // the simulated history lies in the past
            "--Clustering:ClusterId", $"simulator-tests-{Guid.NewGuid():N}",
            "--Logging:LogLevel:Default", "Warning",
            "--Linking:FlushOnDemand", "true", // entities hear from accounts at the simulation's steps, as in process
        ]);
        await app.StartAsync(Cancel);
        try
        {
            var traffic = app.Services.GetRequiredService<LinkingTraffic>();
            await using var target = new HttpTarget(new Uri(app.Addresses().Single()), settle: cancel =>
                LinkingSettlement.SettleAsync([app.Services], traffic, TimeSpan.FromSeconds(30)).WaitAsync(cancel));
            return Scorecard.From(await Simulation.RunAsync(new PopulationPlan(Small), target, parallelism: 32, cancellationToken: Cancel));
        }
        finally
        {
            await app.StopAsync(Cancel);
        }
    }

    /// <summary>The scorecard without what may differ between runs: timings and the name of the target.</summary>
    private static string Detection(Scorecard scorecard)
    {
        var json = JsonNode.Parse(ScorecardReport.Json(scorecard))!.AsObject();
        json.Remove("performance");
        json["run"]!.AsObject().Remove("target");
        return json.ToJsonString();
    }
}
