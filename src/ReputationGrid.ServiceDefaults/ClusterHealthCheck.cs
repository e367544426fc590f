using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReputationGrid.Contracts;

namespace ReputationGrid.ServiceDefaults;

/// <summary>Healthy once a grain call reaches a silo and comes back: the gateway can serve decisions.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IHealthGrain>(0).PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("No silo answered.", e);
        }
    }
}
