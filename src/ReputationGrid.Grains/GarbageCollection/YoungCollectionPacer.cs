using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReputationGrid.Grains.Telemetry;

namespace ReputationGrid.Grains.GarbageCollection;

/// <summary>
/// Asks the runtime for a young collection whenever <see cref="YoungCollectionOptions.Interval"/> passes without one
/// and with something allocated to collect.
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
    /// <summary>
    /// Allocated since the last young collection, at least, for the pacer to ask for one: an idle silo is left alone,
    /// and a quiet one collected about once a megabyte, a few hundred calls' worth.
    /// </summary>
    internal const long MinAllocatedBytes = 1 << 20;

    private int _seenCollections = youngGeneration.Collections;
    private long _allocatedAtCollection = youngGeneration.AllocatedBytes;

    // Ticks from construction, not from ExecuteAsync, which the host runs in the background: a tick that comes
    // before the loop waits is kept. None when pacing is off.
    private readonly PeriodicTimer? _timer = options.Value.Interval == TimeSpan.Zero ? null : new(options.Value.Interval, time);

    /// <summary>
    /// Collects the young generation unless one ran since the last check or too little was allocated since the last
    /// one; says whether it collected.
    /// </summary>
    internal bool CollectIfDue()
    {
        var collections = youngGeneration.Collections;
        var allocated = youngGeneration.AllocatedBytes;
        if (collections != _seenCollections)
        {
            _seenCollections = collections;
            _allocatedAtCollection = allocated;
            return false;
        }

        if (allocated - _allocatedAtCollection < MinAllocatedBytes)
        {
            return false;
        }

        youngGeneration.Collect();
        metrics.YoungCollectionPaced();
        _seenCollections = youngGeneration.Collections;
        _allocatedAtCollection = allocated;
        return true;
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
                CollectIfDue();
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
