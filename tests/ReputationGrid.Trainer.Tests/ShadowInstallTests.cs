using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using ReputationGrid.Host;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.ServiceDefaults;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Trainer.Tests;

/// <summary>A trained policy installed as a running gateway's shadow candidate, judged there through its model_risk signal.</summary>
public sealed class ShadowInstallTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_trained_policy_installed_as_the_shadow_is_judged_beside_the_live_policy_through_model_risk()
    {
        var directory = Directory.CreateTempSubdirectory("trainer-shadow-").FullName;
        await using var app = EmbeddedHost.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--Clustering:SiloPort", LoopbackPorts.Free().ToString(),
            "--Clustering:GatewayPort", LoopbackPorts.Free().ToString(),
            "--Gateway:GrpcUrl", "",
            "--Gateway:MaxPastSkew", "1.00:00:00",
            "--Clustering:ClusterId", $"trainer-tests-{Guid.NewGuid():N}",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync(Cancel);
        try
        {
            var run = new TrainingRun
            {
                Train = TrainerTests.Population(1, 300, 60),
                Test = TrainerTests.Population(2, 100, 20),
                TrainSource = "seed 1",
                TestSource = "seed 2",
                HandPolicy = new ScoringPolicy(),
                FastTreeTrees = 5,
            };
            await run.RunAsync(directory, Cancel);
            var gateway = new Uri(app.Addresses().Single());

            Assert.Null(await ShadowInstall.PutAsync(gateway, null, PolicyDocument.Write(run.Policy!), Cancel));

            using var http = new HttpClient { BaseAddress = gateway };
            var started = Stopwatch.StartNew();
            JsonNode report;
            do
            {
                // Silos take the candidate at their next poll of the policy: until then a decision is not compared.
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), "No silo judged the shadow candidate in time.");
                using var warmUp = await http.PostAsJsonAsync("/v1/decisions/send", new { account = "warm-up", recipient = "friend", recipientIsContact = true }, Cancel);
                report = JsonNode.Parse(await http.GetStringAsync("/v1/policy/shadow/report", Cancel))!;
            }
            while (report["compared"]!.GetValue<long>() == 0);

            // A message to a new stranger every two minutes for 80 minutes, not a burst; event time is whole milliseconds.
            var firstAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds());
            for (var sent = 0; sent < 40; sent++)
            {
                using var check = await http.PostAsJsonAsync(
                    "/v1/decisions/send", new { account = "stranger-sender", recipient = $"stranger-{sent}", recipientIsContact = false, at = firstAt.AddMinutes(2 * sent) }, Cancel);
                Assert.Equal(HttpStatusCode.OK, check.StatusCode);
            }

            started.Restart();
            do
            {
                // Silos hand in their tallies at their next poll.
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), "The shadow report named no model_risk in time.");
                report = JsonNode.Parse(await http.GetStringAsync("/v1/policy/shadow/report", Cancel))!;
            }
            while (!report["differingReasons"]!.AsArray().Any(r => r!["reason"]!.GetValue<string>() == "model_risk"));

            Assert.Equal(new ScoringPolicy().Version + "+model", report["version"]!.GetValue<string>());
            var live = JsonNode.Parse(await http.GetStringAsync("/v1/policy", Cancel))!;
            Assert.Equal(new ScoringPolicy().Version, live["version"]!.GetValue<string>());
            Assert.Null(live["model"]);
        }
        finally
        {
            await app.StopAsync(Cancel);
            Directory.Delete(directory, recursive: true);
        }
    }
}
