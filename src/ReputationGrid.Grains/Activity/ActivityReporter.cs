using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReputationGrid.Contracts;

namespace ReputationGrid.Grains.Activity;

/// <summary>Sends this silo's <see cref="SiloActivity"/> to the cluster's <see cref="IActivityGrain"/> every <see cref="Interval"/>.</summary>
public sealed partial class ActivityReporter(SiloActivity activity, IGrainFactory grains, TimeProvider time, ILogger<ActivityReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time, not the grains' clock: tests move that clock by hand.
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await grains.GetGrain<IActivityGrain>(IActivityGrain.Key).ReportAsync(activity.Take(time.GetUtcNow()));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogReportFailed(logger, e); // that report's counts are lost; the overview is for watching, not accounting
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting the silo's activity for the console's overview failed.")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
