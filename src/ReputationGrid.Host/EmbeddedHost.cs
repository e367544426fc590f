using ReputationGrid.Api;
using ReputationGrid.Clustering;
using ReputationGrid.OperatorConsole;
using ReputationGrid.Hosting;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.ServiceDefaults;

namespace ReputationGrid.Host;

/// <summary>
/// One process with a silo (localhost clustering unless configured otherwise) and the HTTP gateway on
/// 127.0.0.1. Configuration is the standard .NET stack: appsettings.json, environment variables, then
/// the command line.
/// </summary>
public static partial class EmbeddedHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="configure">Changes to the services before the host is built, for tests (such as the signing key of test tokens).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.ListenByDefaultOn(DefaultUrl, builder.Configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.GrpcUrl)}"]);
        builder.UseOrleans(silo =>
        {
            silo.UseReputationGridClustering(builder.Configuration);
            if (builder.Configuration.ExportsTelemetry())
            {
                silo.AddActivityPropagation();
            }

            silo.AddReputationGrid(builder.Configuration);
        });
        builder.AddReputationGridTelemetry(ReputationMetrics.MeterName, GatewayExtensions.MeterName);
        builder.Services.AddReputationGridGateway(builder.Configuration);
        builder.Services.AddReputationGridConsole(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseReputationGridGateway();
        app.UseReputationGridConsole();
        app.MapReputationGridApi();
        app.MapReputationGridConsole();
        app.Lifetime.ApplicationStarted.Register(() => LogListening(app.Logger, string.Join(", ", app.Addresses())));
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ReputationGrid is listening on {Addresses} (silo and gateway in one process).")]
    private static partial void LogListening(ILogger logger, string addresses);
}
