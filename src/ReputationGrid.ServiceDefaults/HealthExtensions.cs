using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ReputationGrid.ServiceDefaults;

public static class HealthExtensions
{
    /// <summary>The tag of the checks that /healthz (readiness) runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Readiness: a grain call reaches a silo and comes back, and the process is not stopping (so a load
    /// balancer stops sending before it stops serving).
    /// </summary>
    public static IServiceCollection AddReputationGridHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag])
            .AddCheck<NotStoppingHealthCheck>("not-stopping", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// <c>/healthz</c>: ready to serve (readiness probe). <c>/healthz/live</c>: the process answers (liveness
    /// probe; it runs no checks, so a slow cluster does not get healthy processes restarted).
    /// </summary>
    public static IEndpointRouteBuilder MapReputationGridHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        endpoints.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        return endpoints;
    }

    private sealed class NotStoppingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Unhealthy("The process is stopping.")
                : HealthCheckResult.Healthy());
    }
}
