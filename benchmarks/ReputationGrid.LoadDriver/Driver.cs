using System.Diagnostics;
using System.Runtime;

namespace ReputationGrid.LoadDriver;

/// <summary>What the command line asked for.</summary>
/// <param name="Wrk">The <c>wrk</c> executable that drives the HTTP paths; null when the driver's own <see cref="HttpClient"/> does.</param>
internal sealed record DriverSettings(
    int Accounts,
    int Concurrency,
    TimeSpan WarmUp,
    TimeSpan Duration,
    int Repeat,
    double CheckShare,
    double ZipfExponent,
    IReadOnlyList<KeyDistribution> Distributions,
    IReadOnlyList<string> Paths,
    string Storage,
    string RedisServer,
    string? Wrk,
    string? ReportPath,
    int Seed,
    string CommandLine);

/// <summary>Process memory at one moment, after a full blocking collection.</summary>
internal readonly record struct MemorySample(long HeapBytes, long WorkingSetBytes)
{
    public static MemorySample Take()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new MemorySample(heap, process.WorkingSet64);
    }
}

/// <summary>Memory per activation: what activating the accounts (and then as many no-op grains) added to the process.</summary>
internal sealed record MemoryReport(
    int Accounts,
    double ActivationsPerSecond,
    MemorySample Before,
    MemorySample AfterAccounts,
    MemorySample? AfterNoopGrains,
    MemorySample? AfterRuns)
{
    public double HeapPerAccount => (AfterAccounts.HeapBytes - Before.HeapBytes) / (double)Accounts;

    public double WorkingSetPerAccount => (AfterAccounts.WorkingSetBytes - Before.WorkingSetBytes) / (double)Accounts;

    public double? HeapPerNoopGrain => AfterNoopGrains is { } after ? (after.HeapBytes - AfterAccounts.HeapBytes) / (double)Accounts : null;

    public double? WorkingSetPerNoopGrain => AfterNoopGrains is { } after ? (after.WorkingSetBytes - AfterAccounts.WorkingSetBytes) / (double)Accounts : null;

    /// <summary>
    /// After the runs every account has been flushed at least once, so with <c>--storage memory</c> this includes the
    /// in-memory storage's copy of its state (which durable storage holds outside the silo); the no-op grains are taken out.
    /// </summary>
    public double? HeapPerAccountAfterRuns => AfterRuns is { } end
        ? (end.HeapBytes - Before.HeapBytes - (AfterNoopGrains is { } noop ? noop.HeapBytes - AfterAccounts.HeapBytes : 0)) / (double)Accounts
        : null;
}

/// <summary>Runs the whole benchmark: start, activate and measure memory, closed-loop runs, paced runs, report.</summary>
internal static class Driver
{
    public static async Task<int> RunAsync(DriverSettings settings, TextWriter progress)
    {
        progress.WriteLine($"Starting: {string.Join(", ", settings.Paths)}; {settings.Accounts:N0} accounts; {settings.Concurrency} in flight; GC {(GCSettings.IsServerGC ? "server" : "workstation")}.");
        _ = GcCardMarking.Instance; // listening from the start, so the first run's collections are seen whole
        var traffic = new Traffic(settings.Accounts, settings.Distributions.Contains(KeyDistribution.Zipf) ? settings.ZipfExponent : 0);
        await using var servers = await BenchmarkServers.StartAsync(settings.Paths, settings.Storage, traffic, settings.Concurrency, settings.RedisServer);

        var memory = await ActivateAsync(servers, traffic, settings, progress);
        var plan = ScenarioPlan.Build(servers.Paths, settings.Distributions, settings.CheckShare);
        var runner = new LoadRunner(traffic, settings.Concurrency, settings.WarmUp, settings.Duration, settings.Seed);
        var wrk = settings.Wrk is { } executable ? new WrkRunner(executable, traffic, settings.Concurrency, settings.WarmUp, settings.Duration, settings.Seed) : null;
        var results = new Dictionary<Scenario, List<RunResult>>(ReferenceEqualityComparer.Instance);

        // Repetitions are interleaved (every scenario once, then again) so that noise from the shared machine
        // spreads over all scenarios rather than landing on one; the report quotes medians.
        for (var round = 1; round <= settings.Repeat; round++)
        {
            foreach (var scenario in plan.ClosedLoop)
            {
                var result = scenario.Path is HttpPath http && wrk is not null
                    ? await wrk.ClosedLoopAsync(http, scenario.Distribution, scenario.CheckShare)
                    : await runner.ClosedLoopAsync(scenario.Path, scenario.Distribution, scenario.CheckShare);
                Record(results, scenario, result, round, settings.Repeat, progress, null);
            }
        }

        var rates = new Dictionary<Scenario, double>(ReferenceEqualityComparer.Instance);
        for (var round = 1; round <= settings.Repeat; round++)
        {
            foreach (var scenario in plan.Paced)
            {
                var pace = scenario.Pace!;
                var rate = rates[scenario] = Math.Max(1, pace.Fraction * pace.Of.Min(of => Median(results[of], r => r.Throughput)));
                var result = scenario.Path is HttpPath http && wrk is not null
                    ? await wrk.PacedAsync(http, scenario.Distribution, scenario.CheckShare, rate)
                    : await runner.PacedAsync(scenario.Path, scenario.Distribution, scenario.CheckShare, rate);
                Record(results, scenario, result, round, settings.Repeat, progress, rate);
            }
        }

        memory = memory with { AfterRuns = MemorySample.Take() };
        var report = Report.Render(settings, plan, results, rates, memory);
        Console.Out.Write(report);
        if (settings.ReportPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, report);
            progress.WriteLine($"Report written to {path}.");
        }

        var errors = results.Values.SelectMany(r => r).Sum(r => r.Errors);
        if (errors > 0)
        {
            progress.WriteLine($"{errors} requests failed: see the Errors column.");
            return 1;
        }

        return 0;
    }

    public static double Median(IEnumerable<RunResult> results, Func<RunResult, double> value)
    {
        var sorted = results.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Record(Dictionary<Scenario, List<RunResult>> results, Scenario scenario, RunResult result, int round, int rounds, TextWriter progress, double? rate)
    {
        if (!results.TryGetValue(scenario, out var list))
        {
            results[scenario] = list = [];
        }

        list.Add(result);
        var offered = rate is { } r ? $" offered {r:N0}/s," : "";
        var failed = result.Errors > 0 ? $", {result.Errors} errors ({result.FirstError})" : "";
        progress.WriteLine($"[{round}/{rounds}] {scenario.Key}:{offered} {result.Throughput:N0}/s, p50 {result.Latency.P50:F3} ms, p99 {result.Latency.P99:F3} ms, GC pause {result.Gc.PauseShare:P0} ({result.Gc.Gen0}/{result.Gc.Gen1}/{result.Gc.Gen2} collections of gen0/1/2, {result.Gc.CardMarkingMs:F1} ms each marking through cards), {result.Gc.BytesPerRequest:N0} B allocated a request{failed}");
    }

    /// <summary>Registers every account with an hour of history (activating its grain), then activates as many no-op grains, sampling memory around each.</summary>
    private static async Task<MemoryReport> ActivateAsync(BenchmarkServers servers, Traffic traffic, DriverSettings settings, TextWriter progress)
    {
        var grains = servers.SiloGrains;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(settings.Concurrency, 256) };
        var before = MemorySample.Take();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, traffic.Accounts.Length), parallel, async (account, _) => await AccountGrainPath.ActivateAsync(grains, traffic, account));
        var rate = traffic.Accounts.Length / clock.Elapsed.TotalSeconds;
        var afterAccounts = MemorySample.Take();
        progress.WriteLine($"Activated {traffic.Accounts.Length:N0} accounts at {rate:N0}/s (GC heap {afterAccounts.HeapBytes / 1048576.0:N0} MiB).");

        MemorySample? afterNoop = null;
        if (servers.Paths.InProcessNoop is not null || servers.Paths.ClientNoop is not null)
        {
            await Parallel.ForEachAsync(traffic.Accounts, parallel, async (account, _) =>
                await grains.GetGrain<INoopGrain>(account).CheckSendAsync(DateTimeOffset.UtcNow, new Contracts.MessageDetails("peer", true)));
            afterNoop = MemorySample.Take();
            progress.WriteLine($"Activated {traffic.Accounts.Length:N0} no-op grains.");
        }

        return new MemoryReport(traffic.Accounts.Length, rate, before, afterAccounts, afterNoop, null);
    }
}
