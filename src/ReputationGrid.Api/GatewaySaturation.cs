using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ReputationGrid.Api;

/// <summary>
/// Kestrel's limits from <see cref="GatewayOptions"/>: the minimum body rate, the header timeout and the connection
/// limit, and a count of open connections for readiness.
/// </summary>
internal sealed class KestrelLimits(IOptions<GatewayOptions> options, OpenConnections connections) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var gateway = options.Value;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(gateway.MinRequestBodyBytesPerSecond, gateway.MinRequestBodyGracePeriod);
        kestrel.Limits.RequestHeadersTimeout = gateway.RequestHeadersTimeout;
        kestrel.Limits.MaxConcurrentConnections = gateway.MaxConcurrentConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = gateway.MaxConcurrentConnections;
        kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(next => connection => connections.CountAsync(connection, next)));
    }
}

/// <summary>The connections open on this gateway's endpoints.</summary>
internal sealed class OpenConnections
{
    private long _open;

    public long Count => Interlocked.Read(ref _open);

    public async Task CountAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        Interlocked.Increment(ref _open);
        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}

/// <summary>
/// Readiness: not ready while the gateway sheds requests (every slot taken and the queue full) or nearly all of its
/// connections are taken, so that a load balancer sends new work elsewhere.
/// </summary>
internal sealed class GatewaySaturationCheck(LoadShedding shedding, OpenConnections connections, IOptions<GatewayOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            shedding.IsSaturated ? HealthCheckResult.Unhealthy("Every request slot is taken and the queue is full.")
            : connections.Count * 10 >= options.Value.MaxConcurrentConnections * 9 ? HealthCheckResult.Unhealthy("Nine tenths of the connection limit are open.")
            : HealthCheckResult.Healthy());
}
