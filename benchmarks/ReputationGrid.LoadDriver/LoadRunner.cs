using System.Diagnostics;
using HdrHistogram;

namespace ReputationGrid.LoadDriver;

/// <summary>What one timed run measured, over its measurement window only (the warm-up before it is discarded).</summary>
/// <param name="Gc">What the process's garbage collector did over the run.</param>
internal sealed record RunResult(double Throughput, LatencySummary Latency, long Errors, string? FirstError, double? MaxLagMs, GcActivity Gc);

/// <summary>
/// The process's garbage collection over a run: the share of its wall time spent paused, and the bytes allocated per
/// completed request (by everything in the process: the load the driver generates, for the paths it drives itself,
/// and the service; for the HTTP paths driven by wrk, the service alone); the collections by generation, and the
/// milliseconds each spent on average marking through cards (<see cref="GcCardMarking"/>).
/// </summary>
internal readonly record struct GcActivity(double PauseShare, double BytesPerRequest, int Gen0, int Gen1, int Gen2, double CardMarkingMs);

/// <summary>The process's garbage-collection counters from one moment on.</summary>
internal readonly record struct GcCounters(TimeSpan Paused, long Allocated, long Timestamp, int Gen0, int Gen1, int Gen2, (double Ms, int Collections) CardMarking)
{
    public static GcCounters Begin() => new(
        GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(), Stopwatch.GetTimestamp(),
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GcCardMarking.Instance.Read());

    public GcActivity End(double requests)
    {
        var cardMarking = GcCardMarking.Instance.Read();
        var collections = cardMarking.Collections - CardMarking.Collections;
        return new(
            (GC.GetTotalPauseDuration() - Paused) / Stopwatch.GetElapsedTime(Timestamp),
            requests > 0 ? (GC.GetTotalAllocatedBytes() - Allocated) / requests : double.NaN,
            // A gen1 collection counts in gen0 too, a gen2 in both: count each collection once, at its own generation.
            GC.CollectionCount(0) - Gen0 - (GC.CollectionCount(1) - Gen1),
            GC.CollectionCount(1) - Gen1 - (GC.CollectionCount(2) - Gen2),
            GC.CollectionCount(2) - Gen2,
            collections > 0 ? (cardMarking.Ms - CardMarking.Ms) / collections : 0);
    }
}

/// <summary>Latency percentiles in milliseconds; NaN when no request completed.</summary>
internal readonly record struct LatencySummary(double P50, double P90, double P99, double P999)
{
    public static LatencySummary From(HistogramBase histogram) => histogram.TotalCount == 0 ? new(double.NaN, double.NaN, double.NaN, double.NaN) : new(
        Ms(histogram.GetValueAtPercentile(50)),
        Ms(histogram.GetValueAtPercentile(90)),
        Ms(histogram.GetValueAtPercentile(99)),
        Ms(histogram.GetValueAtPercentile(99.9)));

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>
/// Drives one path with requests from <see cref="Traffic"/>: closed loop (a fixed number of requests always in
/// flight: peak throughput) or paced (requests started on a fixed schedule, at most a fixed number in flight:
/// latency at a given offered load). Latencies go to an HdrHistogram with three significant digits.
/// </summary>
internal sealed class LoadRunner(Traffic traffic, int concurrency, TimeSpan warmUp, TimeSpan duration, int seed)
{
    private static readonly long MaxLatencyTicks = Stopwatch.Frequency * 60;

    public async Task<RunResult> ClosedLoopAsync(ILoadPath path, KeyDistribution distribution, double checkShare)
    {
        var histogram = NewHistogram();
        var errors = new ErrorLog();
        var measuring = false;
        var stopping = false;
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(seed, worker));
            while (!Volatile.Read(ref stopping))
            {
                var operation = traffic.Next(random, distribution, checkShare);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await path.ExecuteAsync(operation);
                }
                catch (Exception e)
                {
                    errors.Add(e);
                    continue;
                }

                if (Volatile.Read(ref measuring))
                {
                    histogram.RecordValue(Math.Min(Stopwatch.GetTimestamp() - started, MaxLatencyTicks));
                }
            }
        })).ToArray();

        await Task.Delay(warmUp);
        Volatile.Write(ref measuring, true);
        var gc = GcCounters.Begin();
        var window = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var measured = window.Elapsed;
        var activity = gc.End(histogram.TotalCount);
        Volatile.Write(ref stopping, true);
        await Task.WhenAll(workers);
        return new RunResult(histogram.TotalCount / measured.TotalSeconds, LatencySummary.From(histogram), errors.Count, errors.First, null, activity);
    }

    /// <summary>
    /// Offers <paramref name="rate"/> requests per second: request i is due at i / rate seconds. The workers take
    /// the next request, wait until it is due (to the millisecond), and send it; latency runs from the send. The
    /// largest delay of a send behind its schedule is reported, so a run whose workers fell behind (a saturated
    /// service) shows it instead of hiding it.
    /// </summary>
    public async Task<RunResult> PacedAsync(ILoadPath path, KeyDistribution distribution, double checkShare, double rate)
    {
        var histogram = NewHistogram();
        var errors = new ErrorLog();
        var warmUpRequests = (long)(warmUp.TotalSeconds * rate);
        var totalRequests = warmUpRequests + Math.Max(1, (long)(duration.TotalSeconds * rate));
        long next = -1;
        long maxLagTicks = 0;
        long measureStart = 0;
        GcCounters gc = default;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(seed, worker));
            long request;
            while ((request = Interlocked.Increment(ref next)) < totalRequests)
            {
                var due = (long)(request / rate * Stopwatch.Frequency);
                var wait = due - clock.ElapsedTicks;
                if (wait * 1000 >= Stopwatch.Frequency)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                }

                var operation = traffic.Next(random, distribution, checkShare);
                var started = Stopwatch.GetTimestamp();
                var measured = request >= warmUpRequests;
                if (request == warmUpRequests)
                {
                    (measureStart, gc) = (started, GcCounters.Begin());
                }

                if (measured)
                {
                    RaiseTo(ref maxLagTicks, clock.ElapsedTicks - due);
                }

                try
                {
                    await path.ExecuteAsync(operation);
                    if (measured)
                    {
                        histogram.RecordValue(Math.Min(Stopwatch.GetTimestamp() - started, MaxLatencyTicks));
                    }
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var seconds = (double)(Stopwatch.GetTimestamp() - measureStart) / Stopwatch.Frequency;
        return new RunResult(
            histogram.TotalCount / seconds, LatencySummary.From(histogram), errors.Count, errors.First, maxLagTicks * 1000.0 / Stopwatch.Frequency, gc.End(histogram.TotalCount));
    }

    private static void RaiseTo(ref long maximum, long value)
    {
        var current = Volatile.Read(ref maximum);
        while (value > current && Interlocked.CompareExchange(ref maximum, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    private static LongConcurrentHistogram NewHistogram() => new(1, MaxLatencyTicks, 3);

    /// <summary>Counts failed requests and keeps the first failure's message for the report.</summary>
    private sealed class ErrorLog
    {
        private long _count;
        private string? _first;

        public long Count => Interlocked.Read(ref _count);

        public string? First => _first;

        public void Add(Exception e)
        {
            if (Interlocked.Increment(ref _count) == 1)
            {
                _first = $"{e.GetType().Name}: {e.Message}";
            }
        }
    }
}
