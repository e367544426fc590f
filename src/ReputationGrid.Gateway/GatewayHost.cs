using ReputationGrid.Api;
using ReputationGrid.Clustering;
using ReputationGrid.OperatorConsole;
using ReputationGrid.ServiceDefaults;

namespace ReputationGrid.Gateway;

/// <summary>
/// A gateway process: the HTTP API on 127.0.0.1:5080 by default, calling the cluster named by
/// <c>Clustering</c> through an Orleans client. Several can run at once. On SIGTERM it reports not
/// ready, stops accepting connections and finishes the requests in flight.
/// </summary>
public static partial class GatewayHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.ListenByDefaultOn(DefaultUrl, builder.Configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.GrpcUrl)}"]);
        builder.UseOrleansClient(client => client.UseReputationGridClustering(builder.Configuration).AddConsoleDashboard(builder.Configuration));
        builder.AddReputationGridTelemetry(GatewayExtensions.MeterName);
        builder.Services.AddReputationGridGateway(builder.Configuration);
        builder.Services.AddReputationGridConsole(builder.Configuration);

        var app = builder.Build();
        app.UseReputationGridGateway();
        app.UseReputationGridConsole();
        app.MapReputationGridApi();
        app.MapReputationGridConsole();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app.Logger, string.Join(", ", app.Addresses())));
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ReputationGrid gateway is listening on {Addresses}.")]
    private static partial void LogStarted(ILogger logger, string addresses);
}
