using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReputationGrid.Grains.Telemetry;

namespace ReputationGrid.Grains.GarbageCollection;

/// <summary>
/// Asks the runtime for a young collection whenever <see cref="YoungCollectionOptions.Interval"/> passes without one.
/// Why: every grain call writes new objects into its activation's long-lived bookkeeping (Orleans' lists of waiting
/// and running requests), so a young collection scans old memory in proportion to the calls made since the one
/// before, about 1 µs a call at 100,000 accounts here. Server GC's dynamic adaptation (DATAS) chooses how far apart
/// collections fall, ignores the gen0 budget settings, and at moderate load let thousands of calls through: pauses
/// of 5 to 20 ms and a p99 of 10 ms at a third of peak. Bounding the interval bounds the pause, for a few percent
/// more time in collections (docs/BENCHMARKS.md, section 12). At peak the runtime collects more often than this on
/// its own, and the pacer does nothing.
/// </summary>
public sealed class YoungCollectionPacer(
    IOptions<YoungCollectionOptions> options,
    IYoungGeneration youngGeneration,
    ReputationMetrics metrics,
    TimeProvider time) : BackgroundService
{
    private int _seen = youngGeneration.Collections;

    // Ticks from construction, not from ExecuteAsync, which the host runs in the background: a tick that comes
    // before the loop waits is kept. None when pacing is off.
    private readonly PeriodicTimer? _timer = options.Value.Interval == TimeSpan.Zero ? null : new(options.Value.Interval, time);

    /// <summary>Collects the young generation unless one ran since the last check; says whether it collected.</summary>
    internal bool CollectUnlessCollectedSinceLastCheck()
    {
        var collections = youngGeneration.Collections;
        var collect = collections == _seen;
        if (collect)
        {
            youngGeneration.Collect();
            metrics.YoungCollectionPaced();
            collections = youngGeneration.Collections;
        }

        _seen = collections;
        return collect;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null)
        {
            return;
        }

        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                CollectUnlessCollectedSinceLastCheck();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _timer?.Dispose();
    }
}
