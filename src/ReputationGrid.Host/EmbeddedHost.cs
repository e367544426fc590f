using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Orleans.Configuration;
using ReputationGrid.Api;
using ReputationGrid.Grains.Hosting;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.ServiceDefaults;

namespace ReputationGrid.Host;

/// <summary>
/// One process with a silo (localhost clustering) and the HTTP gateway on 127.0.0.1. Configuration is
/// the standard .NET stack: appsettings.json, environment variables, then the command line.
/// </summary>
public static partial class EmbeddedHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (!HasListenAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var cluster = builder.Configuration.GetSection(LocalClusterOptions.SectionName).Get<LocalClusterOptions>() ?? new LocalClusterOptions();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            silo.Configure<EndpointOptions>(endpoints => endpoints.AdvertisedIPAddress = System.Net.IPAddress.Loopback);
            silo.AddActivityPropagation();
            silo.AddReputationGrid(builder.Configuration);
        });
        builder.AddReputationGridTelemetry(ReputationMetrics.MeterName);
        builder.Services.AddReputationGridGateway(builder.Configuration);

        var app = builder.Build();
        app.UseReputationGridGateway();
        app.MapReputationGridApi();
        app.Lifetime.ApplicationStarted.Register(() => LogListening(app.Logger, string.Join(", ", Addresses(app))));
        return app;
    }

    /// <summary>The addresses the gateway listens on, once started.</summary>
    public static IReadOnlyCollection<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    // The standard ways to choose where to listen: --urls, ASPNETCORE_URLS, ports, or Kestrel endpoints.
    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["urls"])
        || !string.IsNullOrEmpty(configuration["http_ports"])
        || !string.IsNullOrEmpty(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();

    [LoggerMessage(Level = LogLevel.Information, Message = "ReputationGrid is listening on {Addresses} (silo and gateway in one process).")]
    private static partial void LogListening(ILogger logger, string addresses);
}
