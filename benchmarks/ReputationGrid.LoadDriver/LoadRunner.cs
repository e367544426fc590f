using System.Diagnostics;
using HdrHistogram;

namespace ReputationGrid.LoadDriver;

/// <summary>What one timed run measured, over its measurement window only (the warm-up before it is discarded).</summary>
internal sealed record RunResult(double Throughput, LatencySummary Latency, long Errors, string? FirstError, double? MaxLagMs);

/// <summary>Latency percentiles in milliseconds.</summary>
internal readonly record struct LatencySummary(double P50, double P90, double P99, double P999)
{
    public static LatencySummary From(HistogramBase histogram) => new(
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
        var window = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var measured = window.Elapsed;
        Volatile.Write(ref stopping, true);
        await Task.WhenAll(workers);
        return new RunResult(histogram.TotalCount / measured.TotalSeconds, LatencySummary.From(histogram), errors.Count, errors.First, null);
    }

    /// <summary>
    /// Starts requests at <paramref name="rate"/> per second, released in small batches every millisecond or so.
    /// Latency is measured from each request's start; the largest delay of a start behind its schedule is reported,
    /// so a run whose driver fell behind (a saturated service) shows it instead of hiding it.
    /// </summary>
    public async Task<RunResult> PacedAsync(ILoadPath path, KeyDistribution distribution, double checkShare, double rate)
    {
        var histogram = NewHistogram();
        var errors = new ErrorLog();
        var random = new Random(seed);
        var inFlight = new SemaphoreSlim(concurrency);
        var warmUpRequests = (long)(warmUp.TotalSeconds * rate);
        var totalRequests = warmUpRequests + (long)(duration.TotalSeconds * rate);
        long maxLagTicks = 0;
        long issued = 0;
        long measureStart = 0;
        var clock = Stopwatch.StartNew();
        while (issued < totalRequests)
        {
            var due = Math.Min(totalRequests, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            while (issued < due)
            {
                await inFlight.WaitAsync();
                var request = issued++;
                var measured = request >= warmUpRequests;
                var started = Stopwatch.GetTimestamp();
                if (measured)
                {
                    maxLagTicks = Math.Max(maxLagTicks, clock.ElapsedTicks - (long)(request / rate * Stopwatch.Frequency));
                    measureStart = measureStart == 0 ? started : measureStart;
                }

                _ = RunOneAsync(traffic.Next(random, distribution, checkShare), started, measured);
            }

            await Task.Delay(1);
        }

        for (var i = 0; i < concurrency; i++)
        {
            await inFlight.WaitAsync();
        }

        var seconds = (double)(Stopwatch.GetTimestamp() - measureStart) / Stopwatch.Frequency;
        return new RunResult(histogram.TotalCount / seconds, LatencySummary.From(histogram), errors.Count, errors.First, maxLagTicks * 1000.0 / Stopwatch.Frequency);

        async Task RunOneAsync(Operation operation, long started, bool measured)
        {
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
            finally
            {
                inFlight.Release();
            }
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
