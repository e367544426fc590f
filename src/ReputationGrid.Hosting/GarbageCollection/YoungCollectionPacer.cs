using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReputationGrid.Grains.Telemetry;

namespace ReputationGrid.Hosting.GarbageCollection;

/// <summary>
/// Asks the runtime for a young collection whenever <see cref="YoungCollectionOptions.Interval"/> passes without one
/// and with something allocated to collect.
/// Why: every grain call writes new objects into its activation's long-lived bookkeeping (Orleans' lists of waiting
/// and running requests), so a young collection scans old memory in proportion to the calls made since the one
/// before, about 1 µs a call at 100,000 accounts here. Server GC's dynamic adaptation (DATAS) chooses how far apart
/// collections fall, ignores the gen0 budget settings, and at moderate load let thousands of calls through: pauses
/// of 5 to 20 ms and a p99 of 10 ms at a third of peak. Bounding the interval bounds the pause, for a few percent
/// more time in collections.
/// It checks on a thread of its own: on the thread pool its checks waited behind a saturated silo's work, which is
/// when the pauses grow longest (82 ms of card marking a collection at 1,000,000 accounts).
/// </summary>
public sealed class YoungCollectionPacer : IHostedService, IDisposable
{
    /// <summary>
    /// Allocated since the last young collection, at least, for the pacer to ask for one: an idle silo is left alone,
    /// and a quiet one collected about once a megabyte, a few hundred calls' worth.
    /// </summary>
    internal const long MinAllocatedBytes = 1 << 20;

    private readonly IYoungGeneration _youngGeneration;
    private readonly ReputationMetrics _metrics;
    private readonly Func<CancellationToken, bool> _waitForInterval;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread? _thread; // none when pacing is off
    private int _seenCollections;
    private long _allocatedAtCollection;

    public YoungCollectionPacer(IOptions<YoungCollectionOptions> options, IYoungGeneration youngGeneration, ReputationMetrics metrics)
        : this(options, youngGeneration, metrics, WaitFor(options.Value.Interval))
    {
    }

    /// <param name="waitForInterval">Blocks until the next check is due; false once the pacer is stopping.</param>
    internal YoungCollectionPacer(
        IOptions<YoungCollectionOptions> options,
        IYoungGeneration youngGeneration,
        ReputationMetrics metrics,
        Func<CancellationToken, bool> waitForInterval)
    {
        _youngGeneration = youngGeneration;
        _metrics = metrics;
        _waitForInterval = waitForInterval;
        _seenCollections = youngGeneration.Collections;
        _allocatedAtCollection = youngGeneration.AllocatedBytes;
        if (options.Value.Interval != TimeSpan.Zero)
        {
            _thread = new Thread(Pace) { IsBackground = true, Name = "Young collection pacer" };
        }
    }

    private static Func<CancellationToken, bool> WaitFor(TimeSpan interval) =>
        stopping => !stopping.WaitHandle.WaitOne(interval);

    /// <summary>
    /// Collects the young generation unless one ran since the last check or too little was allocated since the last
    /// one; says whether it collected.
    /// </summary>
    internal bool CollectIfDue()
    {
        var collections = _youngGeneration.Collections;
        var allocated = _youngGeneration.AllocatedBytes;
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

        _youngGeneration.Collect();
        _metrics.YoungCollectionPaced();
        _seenCollections = _youngGeneration.Collections;
        _allocatedAtCollection = allocated;
        return true;
    }

    private void Pace()
    {
        while (_waitForInterval(_stopping.Token))
        {
            CollectIfDue();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread?.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop(); // the thread waits on the token: it must be done before the token goes
        _stopping.Dispose();
    }

    private void Stop()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }

        if (_thread is { IsAlive: true })
        {
            _thread.Join(); // at most one check and collection away
        }
    }
}
