using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Grpc.AspNetCore.Server;
using ReputationGrid.Api.Endpoints;
using ReputationGrid.Api.Grpc;
using ReputationGrid.ServiceDefaults;

namespace ReputationGrid.Api;

public static class GatewayExtensions
{
    /// <summary>Adds what the HTTP and gRPC APIs need besides an Orleans client: their options (section <c>Gateway</c>), problem details, health checks and load shedding.</summary>
    public static IServiceCollection AddReputationGridGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccountGrains>();
        services.AddProblemDetails();
        services.AddExceptionHandler<GrainFailures>();
        services.AddReputationGridHealthChecks();
        services.AddGrpc(grpc => grpc.Interceptors.Add<GrpcFailures>());
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GatewayOptions>>((grpc, gateway) =>
            grpc.MaxReceiveMessageSize = (int)gateway.Value.MaxRequestBodyBytes);
        services.AddRateLimiter(limiter => limiter.OnRejected = (rejected, _) =>
        {
            const string Detail = "The gateway is at its limit of requests in flight. Retry shortly.";
            return GrpcFailures.TryWriteUnavailable(rejected.HttpContext, Detail)
                ? ValueTask.CompletedTask
                : new ValueTask(GrainFailures.Unavailable(rejected.HttpContext, Detail).ExecuteAsync(rejected.HttpContext));
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GatewayOptions>>((limiter, gateway) =>
        {
            // Both partitions are made once: a partition made per request allocated its closures on every message.
            var requests = RateLimitPartition.GetConcurrencyLimiter("requests", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = gateway.Value.MaxConcurrentRequests,
                QueueLimit = gateway.Value.MaxQueuedRequests,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            var health = RateLimitPartition.GetNoLimiter("health");
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/healthz") ? health : requests);
        });
        return services;
    }

    /// <summary>Maps the v1 HTTP API, the gRPC service and the health endpoints.</summary>
    public static IEndpointRouteBuilder MapReputationGridApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1");
        v1.MapPost("/events", EventsEndpoint.HandleAsync);
        v1.MapPost("/decisions/send", ActivatorUtilities.CreateInstance<DecisionsEndpoint>(endpoints.ServiceProvider).HandleAsync);
        v1.MapGet("/accounts/{id}", AccountsEndpoint.GetAsync);
        v1.MapPost("/accounts/{id}/actions", AccountsEndpoint.ApplyActionAsync);
        endpoints.MapGrpcService<ReputationService>();
        endpoints.MapReputationGridHealth();
        return endpoints;
    }

    /// <summary>The gateway's middleware: problem details for every error, including unhandled ones, and load shedding.</summary>
    public static IApplicationBuilder UseReputationGridGateway(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        return app;
    }
}
