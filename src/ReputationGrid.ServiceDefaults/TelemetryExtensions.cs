using Microsoft.Extensions.Configuration;
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
    /// Collects the service's meters through OpenTelemetry, and its traces when they are exported: over OTLP, only
    /// when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> setting is present; otherwise nothing leaves the process.
    /// Traces are not collected when nothing exports them: an activity per request and per grain call that nobody
    /// reads costs the send-time check about a tenth of its HTTP throughput.
    /// </summary>
    /// <param name="meters">The application's own meters, in addition to Orleans' and ASP.NET Core's.</param>
    public static IHostApplicationBuilder AddReputationGridTelemetry(this IHostApplicationBuilder builder, params string[] meters)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(meters)
                .AddMeter(OrleansMeter, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"));

        if (builder.Configuration.ExportsTelemetry())
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource("Microsoft.AspNetCore", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Whether telemetry leaves the process (an OTLP endpoint is configured). Silos propagate trace context through
    /// grain calls only then (Orleans' <c>AddActivityPropagation</c>), since its call filters cost every call.
    /// </summary>
    public static bool ExportsTelemetry(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
}
