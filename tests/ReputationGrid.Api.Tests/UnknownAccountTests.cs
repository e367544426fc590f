using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.Telemetry;

namespace ReputationGrid.Api.Tests;

/// <summary>Looking up accounts that never existed, as a flood of unique ids does, leaves no activation behind.</summary>
public sealed class UnknownAccountTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The ids of the account grains active in the cluster.</summary>
    private async Task<List<string>> ActiveAccountsAsync()
    {
        var management = gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var activations = await management.GetDetailedGrainStatistics();
        return [.. activations
            .Where(activation => activation.GrainType.StartsWith($"{typeof(AccountGrain).FullName},", StringComparison.Ordinal))
            .Select(activation => activation.GrainId.Key.ToString()!)];
    }

    [Fact]
    public async Task A_get_of_an_unknown_account_answers_unknown_and_deactivates_it_at_once()
    {
        var meters = gateway.Services.GetRequiredService<IMeterFactory>();
        using var active = new MetricCollector<long>(meters, ReputationMetrics.MeterName, "reputationgrid.accounts.active");

        var view = await gateway.Http.GetFromJsonAsync<JsonElement>("/v1/accounts/never-seen-1", Cancel);
        await active.WaitForMeasurementsAsync(2, Cancel);

        Assert.False(view.GetProperty("known").GetBoolean());
        Assert.Equal([1, -1], active.GetMeasurementSnapshot().Select(measurement => measurement.Value));
        // The deactivation is reported as it starts; the activation leaves the catalog right after it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await ActiveAccountsAsync()).Contains("never-seen-1") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Cancel);
        }

        Assert.DoesNotContain("never-seen-1", await ActiveAccountsAsync());
    }

    [Fact]
    public async Task A_known_account_stays_active_after_a_get()
    {
        using var checkedIn = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "seen-1", recipient = "friend", recipientIsContact = true }, Cancel);

        var view = await gateway.Http.GetFromJsonAsync<JsonElement>("/v1/accounts/seen-1", Cancel);

        Assert.True(view.GetProperty("known").GetBoolean());
        Assert.Contains("seen-1", await ActiveAccountsAsync());
    }
}
