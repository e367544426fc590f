using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ReputationGrid.ServiceDefaults;

public static class TelemetryExtensions
{
    /// <summary>Orleans' meter: request latency, activations, storage latency and the rest of its instruments.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Collects the service's meters and traces through OpenTelemetry. They are exported over OTLP only when the
    /// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> setting is present; otherwise nothing leaves the process.
    /// </summary>
    /// <param name="meters">The application's own meters, in addition to Orleans' and ASP.NET Core's.</param>
    public static IHostApplicationBuilder AddReputationGridTelemetry(this IHostApplicationBuilder builder, params string[] meters)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(meters)
                .AddMeter(OrleansMeter, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"))
            .WithTracing(tracing => tracing
                .AddSource("Microsoft.AspNetCore", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
