using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Grpc.AspNetCore.Server;
using ReputationGrid.Api.Audit;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Cases;
using ReputationGrid.Api.Endpoints;
using ReputationGrid.Api.Evidence;
using ReputationGrid.Api.Grpc;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Operations;
using ReputationGrid.ServiceDefaults;

namespace ReputationGrid.Api;

public static class GatewayExtensions
{
    /// <summary>The gateway's own meter: requests served and shed (see <see cref="LoadShedding"/>).</summary>
    public const string MeterName = "ReputationGrid.Gateway";

    /// <summary>
    /// Adds what the HTTP and gRPC APIs need besides an Orleans client: their options (section <c>Gateway</c>), how account
    /// ids are stored (section <c>Ids</c>), problem details, health checks, load shedding, and authentication (section <c>Auth</c>).
    /// </summary>
    public static IServiceCollection AddReputationGridGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IdsOptions>().Bind(configuration.GetSection(IdsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdsOptions>, IdsOptionsValidator>();
        services.TryAddSingleton<AccountIds>();
        services.TryAddSingleton<AccountGrains>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<AccountOperations>();
        services.TryAddSingleton<EntityOperations>();
        services.TryAddSingleton<EnforcementRecords>();
        services.TryAddSingleton<CaseService>();
        services.TryAddSingleton<CaseInput>();
        services.AddOptions<EvidenceGatewayOptions>().Bind(configuration.GetSection(EvidenceGatewayOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EvidenceGatewayOptions>, EvidenceGatewayOptionsValidator>();
        services.TryAddSingleton<EvidenceSigner>();
        services.TryAddSingleton<EvidenceExporter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<GrainFailures>();
        services.AddReputationGridHealthChecks();
        services.AddGrpc(grpc => grpc.Interceptors.Add<GrpcFailures>());
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GatewayOptions>>((grpc, gateway) =>
            grpc.MaxReceiveMessageSize = (int)gateway.Value.MaxRequestBodyBytes);
        services.TryAddSingleton<LoadShedding>();
        services.TryAddSingleton<MalformedRequests>();
        services.TryAddSingleton<OpenConnections>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimits>();
        services.AddHealthChecks().AddCheck<GatewaySaturationCheck>("saturation", tags: [HealthExtensions.ReadyTag]);
        services.AddReputationGridAuth(configuration);
        return services;
    }

    /// <summary>Maps the v1 HTTP API, the gRPC service and the health endpoints.</summary>
    public static IEndpointRouteBuilder MapReputationGridApi(this IEndpointRouteBuilder endpoints)
    {
        var callers = endpoints.ServiceProvider.GetRequiredService<Callers>();
        var v1 = endpoints.MapGroup("/v1");
        v1.MapPost("/events", EventsEndpoint.HandleAsync).RequirePolicy(callers, ApiPolicies.Send);
        v1.MapPost("/decisions/send", ActivatorUtilities.CreateInstance<DecisionsEndpoint>(endpoints.ServiceProvider).HandleAsync)
            .RequirePolicy(callers, ApiPolicies.Send);
        v1.MapGet("/accounts/{id}", AccountsEndpoint.GetAsync).RequirePolicy(callers, ApiPolicies.ReadAccounts);
        v1.MapGet("/accounts/{id}/enforcement", AccountsEndpoint.GetEnforcementAsync).RequirePolicy(callers, ApiPolicies.ReadAccounts);
        v1.MapPost("/accounts/{id}/actions", AccountsEndpoint.ApplyActionAsync).RequirePolicy(callers, ApiPolicies.ActOnAccounts);
        v1.MapGet("/entities/{kind}/{id}", EntitiesEndpoint.GetAsync).RequirePolicy(callers, ApiPolicies.ReadAccounts);
        v1.MapPost("/entities/{kind}/{id}/actions", EntitiesEndpoint.ApplyActionAsync).RequirePolicy(callers, ApiPolicies.ActOnAccounts);
        v1.MapPost("/cases", CasesEndpoint.OpenAsync).RequirePolicy(callers, ApiPolicies.EditCases);
        v1.MapGet("/cases", CasesEndpoint.ListAsync).RequirePolicy(callers, ApiPolicies.ReadCases);
        v1.MapGet("/cases/{id}", CasesEndpoint.GetAsync).RequirePolicy(callers, ApiPolicies.ReadCases);
        v1.MapPost("/cases/{id}/accounts", CasesEndpoint.AddAccountAsync).RequirePolicy(callers, ApiPolicies.EditCases);
        v1.MapDelete("/cases/{id}/accounts/{account}", CasesEndpoint.RemoveAccountAsync).RequirePolicy(callers, ApiPolicies.EditCases);
        v1.MapPost("/cases/{id}/entities", CasesEndpoint.AddEntityAsync).RequirePolicy(callers, ApiPolicies.EditCases);
        v1.MapDelete("/cases/{id}/entities/{kind}/{entity}", CasesEndpoint.RemoveEntityAsync).RequirePolicy(callers, ApiPolicies.EditCases);
        v1.MapPost("/cases/{id}/notes", CasesEndpoint.AddNoteAsync).RequirePolicy(callers, ApiPolicies.EditCases);
        v1.MapPost("/cases/{id}/evidence", CasesEndpoint.AddEvidenceAsync).RequirePolicy(callers, ApiPolicies.EditCases);
        v1.MapGet("/cases/{id}/evidence/{number:int}", CasesEndpoint.ReadFileAsync).RequirePolicy(callers, ApiPolicies.ReadCases);
        v1.MapGet("/cases/{id}/export", CasesEndpoint.ExportAsync).RequirePolicy(callers, ApiPolicies.ExportCases);
        v1.MapPost("/labels", LabelsEndpoint.PostAsync).RequirePolicy(callers, ApiPolicies.ActOnAccounts);
        v1.MapGet("/labels/export", LabelsEndpoint.ExportAsync).RequirePolicy(callers, ApiPolicies.ReadAccounts);
        v1.MapGet("/labels/{account}", LabelsEndpoint.GetAsync).RequirePolicy(callers, ApiPolicies.ReadAccounts);
        v1.MapGet("/audit", AuditEndpoint.GetAsync).RequirePolicy(callers, ApiPolicies.ReadAudit);
        v1.MapGet("/policy", PolicyEndpoint.GetAsync).RequirePolicy(callers, ApiPolicies.ReadPolicy);
        v1.MapGet("/policy/versions", PolicyEndpoint.GetVersionsAsync).RequirePolicy(callers, ApiPolicies.ReadPolicy);
        v1.MapPut("/policy", PolicyEndpoint.PublishAsync).RequirePolicy(callers, ApiPolicies.ChangePolicy);
        v1.MapPost("/policy/rollback", PolicyEndpoint.RollbackAsync).RequirePolicy(callers, ApiPolicies.ChangePolicy);
        v1.MapPut("/policy/shadow", PolicyEndpoint.InstallShadowAsync).RequirePolicy(callers, ApiPolicies.ChangePolicy);
        v1.MapGet("/policy/shadow/report", PolicyEndpoint.GetShadowReportAsync).RequirePolicy(callers, ApiPolicies.ReadPolicy);
        v1.MapDelete("/policy/shadow", PolicyEndpoint.RemoveShadowAsync).RequirePolicy(callers, ApiPolicies.ChangePolicy);
        endpoints.MapGrpcService<ReputationService>().RequirePolicy(callers, ApiPolicies.Send);
        endpoints.MapReputationGridHealth();
        return endpoints;
    }

    /// <summary>
    /// The gateway's middleware: problem details for every error, including unhandled ones, load shedding, then
    /// authentication and authorization (so that shed requests cost no authentication).
    /// </summary>
    public static IApplicationBuilder UseReputationGridGateway(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(next =>
        {
            // Resolved when the pipeline is built, once options are validated at start-up.
            var shedding = app.ApplicationServices.GetRequiredService<LoadShedding>();
            return context => shedding.InvokeAsync(context, next);
        });
        app.UseReputationGridAuth();
        return app;
    }
}
