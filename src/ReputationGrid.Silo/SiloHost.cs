using ReputationGrid.Clustering;
using ReputationGrid.Hosting;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.ServiceDefaults;

namespace ReputationGrid.Silo;

/// <summary>
/// A silo process: account grains, membership from <c>Clustering</c>, storage from <c>Storage</c>, and the
/// health endpoints on 127.0.0.1:8080 by default. On SIGTERM it leaves the cluster gracefully: accounts
/// are deactivated and their state written before the process exits.
/// </summary>
public static partial class SiloHost
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args).ListenByDefaultOn(DefaultUrl);
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = builder.Configuration.GetValue("Hosting:ShutdownTimeout", TimeSpan.FromMinutes(2)));
        builder.UseOrleans(silo =>
        {
            silo.UseReputationGridClustering(builder.Configuration);
            if (builder.Configuration.ExportsTelemetry())
            {
                silo.AddActivityPropagation();
            }

            silo.AddReputationGrid(builder.Configuration);
        });
        builder.AddReputationGridTelemetry(ReputationMetrics.MeterName);
        builder.Services.AddReputationGridHealthChecks();

        var app = builder.Build();
        app.MapReputationGridHealth();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app.Logger, string.Join(", ", app.Addresses())));
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ReputationGrid silo started; health on {Addresses}.")]
    private static partial void LogStarted(ILogger logger, string addresses);
}
