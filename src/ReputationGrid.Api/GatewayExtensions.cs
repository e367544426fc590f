using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Endpoints;

namespace ReputationGrid.Api;

public static class GatewayExtensions
{
    /// <summary>Adds what the HTTP API needs besides an Orleans client: its options (section <c>Gateway</c>), problem details and the readiness check.</summary>
    public static IServiceCollection AddReputationGridGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddExceptionHandler<GrainFailures>();
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        return services;
    }

    /// <summary>Maps the v1 HTTP API and <c>/healthz</c>.</summary>
    public static IEndpointRouteBuilder MapReputationGridApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1");
        v1.MapPost("/events", EventsEndpoint.HandleAsync);
        v1.MapPost("/decisions/send", DecisionsEndpoint.HandleAsync);
        v1.MapGet("/accounts/{id}", AccountsEndpoint.GetAsync);
        v1.MapPost("/accounts/{id}/actions", AccountsEndpoint.ApplyActionAsync);
        endpoints.MapHealthChecks("/healthz");
        return endpoints;
    }

    /// <summary>The gateway's middleware: problem details for every error, including unhandled ones.</summary>
    public static IApplicationBuilder UseReputationGridGateway(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
