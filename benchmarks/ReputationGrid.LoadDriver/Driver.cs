using System.Diagnostics;
using System.Runtime;

namespace ReputationGrid.LoadDriver;

/// <summary>What the command line asked for.</summary>
/// <param name="Wrk">The <c>wrk</c> executable that drives the HTTP paths.</param>
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
    string Wrk,
    string? ReportPath,
    double LinkingRate,
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

/// <summary>
/// Memory per activation: what activating personal accounts added to their silo's process (the headline: most accounts
/// are personal), activating the runs' business accounts to the subject's, and activating as many no-op grains to theirs.
/// </summary>
internal sealed record MemoryReport(int Accounts, Activation Personal, Activation Subject, Activation? NoopGrains, MemorySample? AfterRuns)
{
    public double HeapPerPersonalAccount => (Personal.After.HeapBytes - Personal.Before.HeapBytes) / (double)Accounts;

    public double WorkingSetPerPersonalAccount => (Personal.After.WorkingSetBytes - Personal.Before.WorkingSetBytes) / (double)Accounts;

    public double HeapPerAccount => (Subject.After.HeapBytes - Subject.Before.HeapBytes) / (double)Accounts;

    public double WorkingSetPerAccount => (Subject.After.WorkingSetBytes - Subject.Before.WorkingSetBytes) / (double)Accounts;

    public double? HeapPerNoopGrain => NoopGrains is { } noop ? (noop.After.HeapBytes - noop.Before.HeapBytes) / (double)Accounts : null;

    public double? WorkingSetPerNoopGrain => NoopGrains is { } noop ? (noop.After.WorkingSetBytes - noop.Before.WorkingSetBytes) / (double)Accounts : null;

    /// <summary>
    /// After the runs every account has been flushed at least once, so with <c>--storage memory</c> this includes the
    /// in-memory storage's copy of its state (which durable storage holds outside the silo).
    /// </summary>
    public double? HeapPerAccountAfterRuns => AfterRuns is { } end ? (end.HeapBytes - Subject.Before.HeapBytes) / (double)Accounts : null;
}

/// <summary>Runs the whole benchmark: start the servers, activate and measure memory, closed-loop runs, paced runs, report.</summary>
internal static class Driver
{
    public static async Task<int> RunAsync(DriverSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        progress.WriteLine($"Starting: {string.Join(", ", settings.Paths)}; {settings.Accounts:N0} accounts; {settings.Concurrency} in flight; GC {(GCSettings.IsServerGC ? "server" : "workstation")}.");
        var traffic = new Traffic(settings.Accounts, settings.Distributions.Contains(KeyDistribution.Zipf) ? settings.ZipfExponent : 0);
        await using var servers = await BenchmarkServers.StartAsync(settings, traffic, cancellationToken);
        var template = new LoadRequest(
            "", null, null, settings.Accounts, traffic.ZipfExponent, KeyDistribution.Uniform, 1, null,
            settings.Concurrency, settings.WarmUp, settings.Duration, settings.Seed, null);

        var memory = await ActivateAsync(servers, template, progress, cancellationToken);
        var plan = ScenarioPlan.Build(servers.Paths, settings.Distributions, settings.CheckShare, settings.LinkingRate);
        var results = new Dictionary<Scenario, List<RunResult>>(ReferenceEqualityComparer.Instance);

        // Repetitions are interleaved (every scenario once, then again) so that noise from the shared machine
        // spreads over all scenarios rather than landing on one; the report quotes medians.
        for (var round = 1; round <= settings.Repeat; round++)
        {
            foreach (var scenario in plan.ClosedLoop)
            {
                var result = await scenario.Path.RunAsync(template with { Distribution = scenario.Distribution, CheckShare = scenario.CheckShare }, cancellationToken);
                Record(results, scenario, result, round, settings.Repeat, progress, null);
            }
        }

        var rates = new Dictionary<Scenario, double>(ReferenceEqualityComparer.Instance);
        foreach (var paced in (List<Scenario>[])[plan.Paced, plan.Last])
        {
            for (var round = 1; round <= settings.Repeat; round++)
            {
                foreach (var scenario in paced)
                {
                    var rate = rates[scenario] = scenario.Pace!.RateFrom(of => Median(results[of], r => r.Throughput));
                    var run = template with { Distribution = scenario.Distribution, CheckShare = scenario.CheckShare, Rate = rate };
                    Record(results, scenario, await scenario.Path.RunAsync(run, cancellationToken), round, settings.Repeat, progress, rate);
                }
            }
        }

        if (await servers.ShadowComparedAsync(cancellationToken) is { } compared)
        {
            progress.WriteLine($"The shadow policy was judged beside {compared:N0} send checks.");
        }

        memory = memory with { AfterRuns = await servers.Subject.MemoryAsync(cancellationToken) };
        var report = Report.Render(settings, plan, results, rates, memory);
        Console.Out.Write(report);
        if (settings.ReportPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, report, cancellationToken);
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
        var entities = result.Entities is { } e
            ? $"; entity grains absorbed {e.Absorbed:N0} of {e.Sent:N0} linking events ({e.AbsorbedPerSecond:N0}/s) in {e.BatchesPerSecond:N1} calls/s, busy {e.BusyShare:P1} of a core"
            : "";
        progress.WriteLine($"[{round}/{rounds}] {scenario.Key}:{offered} {result.Throughput:N0}/s, p50 {result.Latency.P50:F3} ms, p99 {result.Latency.P99:F3} ms, server GC pause {result.Gc.PauseShare:P0} ({result.Gc.Gen0}/{result.Gc.Gen1}/{result.Gc.Gen2} collections of gen0/1/2, {result.Gc.CardMarkingMs:F1} ms each marking through cards), {result.Gc.BytesPerRequest:N0} B allocated a request{failed}{entities}");
    }

    /// <summary>
    /// Registers every account as a personal account in a silo of its own, which is stopped once measured; then as a
    /// business account with an hour of history in the subject's silo (and in the shadowed subject's, so that both
    /// check the same accounts), then activates as many no-op grains in theirs, each process sampling its own memory around it.
    /// </summary>
    private static async Task<MemoryReport> ActivateAsync(BenchmarkServers servers, LoadRequest template, TextWriter progress, CancellationToken cancellationToken)
    {
        var personal = await servers.PersonalSubject!.ActivateAsync(template with { Target = LoadTargets.PersonalAccountGrains }, cancellationToken);
        progress.WriteLine($"Activated {template.Accounts:N0} personal accounts in their own silo at {personal.PerSecond:N0}/s (GC heap {personal.After.HeapBytes / 1048576.0:N0} MiB).");
        await servers.StopPersonalSubjectAsync();
        var accounts = await servers.Subject.ActivateAsync(template with { Target = LoadTargets.AccountGrains }, cancellationToken);
        progress.WriteLine($"Activated {template.Accounts:N0} accounts at {accounts.PerSecond:N0}/s (the subject's GC heap {accounts.After.HeapBytes / 1048576.0:N0} MiB).");
        if (servers.LinkedSubject is { } linked)
        {
            var activation = await linked.ActivateAsync(template with { Target = LoadTargets.LinkedAccountGrains }, cancellationToken);
            progress.WriteLine($"Activated {template.Accounts:N0} linked accounts in their own silo at {activation.PerSecond:N0}/s (GC heap {activation.After.HeapBytes / 1048576.0:N0} MiB).");
        }

        if (servers.ShadowedSubject is { } shadowed)
        {
            await shadowed.ActivateAsync(template with { Target = LoadTargets.AccountGrains }, cancellationToken);
            progress.WriteLine($"Activated {template.Accounts:N0} accounts in the silo with a shadow policy.");
        }

        Activation? noop = null;
        if (servers.NoopSilo is { } silo)
        {
            noop = await silo.ActivateAsync(template with { Target = LoadTargets.NoopGrains }, cancellationToken);
            progress.WriteLine($"Activated {template.Accounts:N0} no-op grains in their own silo.");
        }

        return new MemoryReport(template.Accounts, personal, accounts, noop, null);
    }
}
