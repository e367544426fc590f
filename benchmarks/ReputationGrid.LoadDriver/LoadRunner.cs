using System.Diagnostics;
using HdrHistogram;

namespace ReputationGrid.LoadDriver;

/// <summary>What one timed run measured, over its measurement window only (the warm-up before it is discarded).</summary>
/// <param name="GcPauseShare">The share of the run's wall time the process spent paused for garbage collection.</param>
internal sealed record RunResult(double Throughput, LatencySummary Latency, long Errors, string? FirstError, double? MaxLagMs, double GcPauseShare);

/// <summary>The process's garbage-collection pause time from one moment on.</summary>
internal readonly record struct GcPauses(TimeSpan Start, long StartTimestamp)
{
    public static GcPauses Begin() => new(GC.GetTotalPauseDuration(), Stopwatch.GetTimestamp());

    public double Share() => (GC.GetTotalPauseDuration() - Start) / Stopwatch.GetElapsedTime(StartTimestamp);
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
        var pauses = GcPauses.Begin();
        var window = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var measured = window.Elapsed;
        var pauseShare = pauses.Share();
        Volatile.Write(ref stopping, true);
        await Task.WhenAll(workers);
        return new RunResult(histogram.TotalCount / measured.TotalSeconds, LatencySummary.From(histogram), errors.Count, errors.First, null, pauseShare);
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
        GcPauses pauses = default;
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
                    (measureStart, pauses) = (started, GcPauses.Begin());
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
            histogram.TotalCount / seconds, LatencySummary.From(histogram), errors.Count, errors.First, maxLagTicks * 1000.0 / Stopwatch.Frequency, pauses.Share());
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
