using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using HdrHistogram;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// One load run, as the driver hands it to the process that generates the load (a server process for its in-process
/// loop, or a load process of its own): what receives the requests, the traffic, the pacing and how long.
/// </summary>
/// <param name="Target">What the requests go to: one of <see cref="LoadTargets"/>.</param>
/// <param name="Address">For a load process: the gRPC address, or the Orleans gateway port of the silo to connect to.</param>
/// <param name="Rate">Requests offered a second; null for a closed loop.</param>
/// <param name="GcOf">The control address of the server process whose collections the run reports; null: the process that runs the load.</param>
internal sealed record LoadRequest(
    string Target,
    string? Address,
    string? ClusterId,
    int Accounts,
    double ZipfExponent,
    KeyDistribution Distribution,
    double CheckShare,
    double? Rate,
    int Concurrency,
    TimeSpan WarmUp,
    TimeSpan Duration,
    int Seed,
    string? GcOf)
{
    /// <summary>The most a run may take: a paced run that cannot keep its schedule stops here instead of running on.</summary>
    public TimeSpan TimeLimit => (WarmUp + Duration) * 2 + TimeSpan.FromSeconds(10);
}

/// <summary>What a load run's requests go to.</summary>
internal static class LoadTargets
{
    /// <summary>ReputationGrid's account grains: the silo's own factory in a server process, an Orleans client in a load process.</summary>
    public const string AccountGrains = "account-grains";

    /// <summary>Account grains of personal accounts, activated only to measure their memory (see <see cref="AccountGrainPath.ActivateAsync"/>).</summary>
    public const string PersonalAccountGrains = "personal-account-grains";

    /// <summary>Account grains of linked accounts (see <see cref="AccountGrainPath"/>), in the silo that holds them.</summary>
    public const string LinkedAccountGrains = "linked-account-grains";

    /// <summary>Send checks that each link a new account to one viral fingerprint (<see cref="HotEntityPath"/>).</summary>
    public const string HotEntity = "hot-entity";

    /// <summary>The no-op grain, reached as the account grains are.</summary>
    public const string NoopGrains = "noop-grains";

    /// <summary>The gateway's gRPC API, from a load process.</summary>
    public const string Grpc = "grpc";
}

/// <summary>What one timed run measured, over its measurement window only (the warm-up before it is discarded).</summary>
/// <param name="Gc">What the measured server process's garbage collector did over the run.</param>
/// <param name="Entities">For a hot-entity run: what the silo's entity grains absorbed.</param>
internal sealed record RunResult(double Throughput, LatencySummary Latency, long Errors, string? FirstError, double? MaxLagMs, GcActivity Gc, EntityLoad? Entities = null);

/// <summary>
/// A server process's garbage collection over a run: the share of its wall time spent paused, and the bytes it
/// allocated per completed request (for a load loop inside the server, the loop's allocations count too); the
/// collections by generation, and the milliseconds each spent on average marking through cards (<see cref="GcCardMarking"/>).
/// </summary>
internal readonly record struct GcActivity(double PauseShare, double BytesPerRequest, int Gen0, int Gen1, int Gen2, double CardMarkingMs);

/// <summary>A process's garbage-collection counters at one moment; two of them give the activity between.</summary>
internal readonly record struct GcSnapshot(double PausedMs, long AllocatedBytes, double AtMs, int Gen0, int Gen1, int Gen2, double CardMarkingMs, int Collections)
{
    public static GcSnapshot Take()
    {
        var (cardMarkingMs, collections) = GcCardMarking.Instance.Read();
        return new(
            GC.GetTotalPauseDuration().TotalMilliseconds, GC.GetTotalAllocatedBytes(), Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), cardMarkingMs, collections);
    }

    public GcActivity Until(GcSnapshot end, double requests)
    {
        var collections = end.Collections - Collections;
        return new(
            (end.PausedMs - PausedMs) / (end.AtMs - AtMs),
            requests > 0 ? (end.AllocatedBytes - AllocatedBytes) / requests : double.NaN,
            // A gen1 collection counts in gen0 too, a gen2 in both: count each collection once, at its own generation.
            end.Gen0 - Gen0 - (end.Gen1 - Gen1),
            end.Gen1 - Gen1 - (end.Gen2 - Gen2),
            end.Gen2 - Gen2,
            collections > 0 ? (end.CardMarkingMs - CardMarkingMs) / collections : 0);
    }
}

/// <summary>Latency percentiles in milliseconds; NaN when no request completed.</summary>
internal readonly record struct LatencySummary(double P50, double P90, double P99, double P999)
{
    public static readonly LatencySummary None = new(double.NaN, double.NaN, double.NaN, double.NaN);

    public static LatencySummary From(HistogramBase histogram) => histogram.TotalCount == 0 ? None : new(
        Ms(histogram.GetValueAtPercentile(50)),
        Ms(histogram.GetValueAtPercentile(90)),
        Ms(histogram.GetValueAtPercentile(99)),
        Ms(histogram.GetValueAtPercentile(99.9)));

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>The messages between the driver and its child processes, as JSON; latencies are NaN when nothing completed.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(LoadRequest))]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(GcSnapshot))]
[JsonSerializable(typeof(EntityLoad))]
[JsonSerializable(typeof(MemorySample))]
[JsonSerializable(typeof(Activation))]
internal sealed partial class LoadJson : JsonSerializerContext;

/// <summary>
/// Sends one run's requests from <see cref="Traffic"/> to a path, in the process the run is given to: closed loop (a
/// fixed number of requests always in flight: peak throughput) or paced (requests started on a fixed schedule, at most
/// a fixed number in flight: latency at a given offered load). Latencies go to an HdrHistogram with three significant digits.
/// </summary>
/// <param name="readGc">Reads the counters of the process whose collections the run reports.</param>
internal sealed class LoadRunner(Traffic traffic, LoadRequest run, Func<Task<GcSnapshot>> readGc)
{
    private static readonly long MaxLatencyTicks = Stopwatch.Frequency * 60;

    public Task<RunResult> RunAsync(IOperationPath path, CancellationToken cancellationToken) =>
        run.Rate is { } rate ? PacedAsync(path, rate, cancellationToken) : ClosedLoopAsync(path, cancellationToken);

    private async Task<RunResult> ClosedLoopAsync(IOperationPath path, CancellationToken cancellationToken)
    {
        var histogram = NewHistogram();
        var errors = new ErrorLog();
        var measuring = false;
        var stopping = false;
        var workers = Enumerable.Range(0, run.Concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(run.Seed, worker));
            while (!Volatile.Read(ref stopping))
            {
                await FromGlobalQueue();
                var operation = traffic.Next(random, run.Distribution, run.CheckShare);
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

        try
        {
            await Task.Delay(run.WarmUp, cancellationToken);
            var gc = await readGc();
            Volatile.Write(ref measuring, true);
            var window = Stopwatch.StartNew();
            await Task.Delay(run.Duration, cancellationToken);
            Volatile.Write(ref measuring, false);
            var measured = window.Elapsed;
            var requests = histogram.TotalCount;
            var activity = gc.Until(await readGc(), requests);
            return new RunResult(requests / measured.TotalSeconds, LatencySummary.From(histogram), errors.Count, errors.First, null, activity);
        }
        finally
        {
            Volatile.Write(ref stopping, true);
            await Task.WhenAll(workers);
        }
    }

    /// <summary>
    /// Offers <paramref name="rate"/> requests per second: request i is due at i / rate seconds. The workers take
    /// the next request, wait until it is due (to the millisecond), and send it; latency runs from the send. The
    /// largest delay of a send behind its schedule is reported, so a run whose workers fell behind (a saturated
    /// service) shows it instead of hiding it; past <see cref="LoadRequest.TimeLimit"/> no more requests are sent.
    /// </summary>
    private async Task<RunResult> PacedAsync(IOperationPath path, double rate, CancellationToken cancellationToken)
    {
        var histogram = NewHistogram();
        var errors = new ErrorLog();
        var warmUpRequests = (long)(run.WarmUp.TotalSeconds * rate);
        var totalRequests = warmUpRequests + Math.Max(1, (long)(run.Duration.TotalSeconds * rate));
        var limitTicks = (long)(run.TimeLimit.TotalSeconds * Stopwatch.Frequency);
        long next = -1;
        long maxLagTicks = 0;
        long measureStart = 0;
        Task<GcSnapshot>? gcAtStart = null;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, run.Concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(run.Seed, worker));
            long request;
            while ((request = Interlocked.Increment(ref next)) < totalRequests && clock.ElapsedTicks < limitTicks && !cancellationToken.IsCancellationRequested)
            {
                var due = (long)(request / rate * Stopwatch.Frequency);
                var wait = due - clock.ElapsedTicks;
                if (wait * 1000 >= Stopwatch.Frequency)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), CancellationToken.None);
                }
                else
                {
                    await FromGlobalQueue();
                }

                var operation = traffic.Next(random, run.Distribution, run.CheckShare);
                var started = Stopwatch.GetTimestamp();
                var measured = request >= warmUpRequests;
                if (request == warmUpRequests)
                {
                    // Not awaited here: this worker's request must leave on schedule.
                    (measureStart, gcAtStart) = (started, readGc());
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
        cancellationToken.ThrowIfCancellationRequested();
        if (gcAtStart is null)
        {
            throw new TimeoutException($"The paced run did not get past its warm-up within {run.TimeLimit}.");
        }

        var gc = await gcAtStart;
        var seconds = (double)(Stopwatch.GetTimestamp() - measureStart) / Stopwatch.Frequency;
        return new RunResult(
            histogram.TotalCount / seconds, LatencySummary.From(histogram), errors.Count, errors.First, maxLagTicks * 1000.0 / Stopwatch.Frequency,
            gc.Until(await readGc(), histogram.TotalCount));
    }

    /// <summary>
    /// Continues from the thread pool's global queue, as a request read from a socket starts: a loop that only continues
    /// on its workers' local queues starves the global one, where a silo's timers and storage completions wait.
    /// </summary>
    private static YieldAwaitable FromGlobalQueue() => Task.Yield();

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
