using System.Runtime;
using System.Runtime.InteropServices;
using ReputationGrid.Hosting.Storage;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ReputationGrid.LoadDriver;

/// <summary>The run's report as Markdown: set-up, memory, closed-loop and paced tables with ratios, and the issue's targets.</summary>
internal static class Report
{
    public static string Render(
        DriverSettings settings,
        ScenarioPlan plan,
        IReadOnlyDictionary<Scenario, List<RunResult>> results,
        IReadOnlyDictionary<Scenario, double> rates,
        MemoryReport memory)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 1_000; // never wrap a table row

        var gib = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30);
        console.WriteLine("## Load benchmark");
        console.WriteLine();
        console.WriteLine($"- Machine: {Environment.ProcessorCount} cores, {gib:F0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC.");
        console.WriteLine($"- Command: `{settings.CommandLine}`");
        console.WriteLine($"- {settings.Accounts:N0} accounts, {settings.Concurrency} requests in flight, {settings.WarmUp.TotalSeconds:G} s warm-up then {settings.Duration.TotalSeconds:G} s measured per run, {(settings.Repeat == 1 ? "one repetition" : $"{settings.Repeat} interleaved repetitions: every figure is the median of them")}.");
        console.WriteLine($"- Key distributions: {string.Join(", ", settings.Distributions)}{(settings.Distributions.Contains(KeyDistribution.Zipf) ? $" (Zipf exponent {settings.ZipfExponent:G})" : "")}. Mix: {settings.CheckShare:P0} send checks, the rest replies, new contacts and unchecked sends.");
        console.WriteLine("- Every server in a process of its own on loopback, each a copy of the driver with the same runtime and GC settings: the subject (the embedded host: silo + HTTP and gRPC gateway), the no-op grain's silo (the same host), the Redis limiter and the empty endpoint (each behind the same HTTP framework, without a per-request dependency-injection scope, writing their answers as the gateway does), and the gateway deployable in front of the subject's silo.");
        console.WriteLine("- Load: the in-process rows run a load loop inside the silo's own process (the subject's for the send check, the no-op grain's silo for the no-op call); the client (TCP) and gRPC rows a load process of their own (an Orleans external client, or one gRPC channel, over loopback); the HTTP rows wrk (one thread, one kept-alive connection per request in flight, whole seconds). GC columns are the server's process (for the gateway process rows, the subject's silo).");
        console.WriteLine(settings.Storage == StorageOptions.Redis
            ? "- Account storage: Redis (`Storage:Provider=redis`), each silo's own redis-server, outside its process as durable storage is; the Redis limiter has another."
            : "- Account storage: Orleans' in-memory storage, inside the silo's process: it keeps a copy of every flushed state.");
        console.WriteLine();

        WriteMemory(console, memory, storageInProcess: settings.Storage == StorageOptions.Memory);
        WriteClosedLoop(console, plan, results);
        WritePaced(console, plan, results, rates);
        WriteLinked(console, plan, results);
        WriteTargets(console, settings, plan, results, memory);
        return writer.ToString();
    }

    private static void WriteMemory(IAnsiConsole console, MemoryReport memory, bool storageInProcess)
    {
        console.WriteLine("### Memory per activation");
        console.WriteLine();
        var table = NewTable("activations", "count", "GC heap each", "working set each");
        Row(table, "personal accounts, just activated (registered, an hour of history; in their own silo)", $"{memory.Accounts:N0}",
            Bytes(memory.HeapPerPersonalAccount), Bytes(memory.WorkingSetPerPersonalAccount));
        Row(table, "business accounts, just activated (the runs' accounts, in the subject)", $"{memory.Accounts:N0}", Bytes(memory.HeapPerAccount), Bytes(memory.WorkingSetPerAccount));
        if (memory.HeapPerAccountAfterRuns is { } afterRuns)
        {
            Row(table, storageInProcess ? "business accounts after the runs (with the in-memory storage's copy)" : "business accounts after the runs", $"{memory.Accounts:N0}", Bytes(afterRuns), "");
        }

        if (memory.HeapPerNoopGrain is { } noopHeap)
        {
            Row(table, "no-op grains (in their own silo)", $"{memory.Accounts:N0}", Bytes(noopHeap), Bytes(memory.WorkingSetPerNoopGrain!.Value));
        }

        console.Write(table);
        console.WriteLine();
        console.WriteLine($"Accounts activated at {memory.Subject.PerSecond:N0}/s. The subject's process after activation: GC heap {memory.Subject.After.HeapBytes / 1048576.0:N0} MiB, working set {memory.Subject.After.WorkingSetBytes / 1048576.0:N0} MiB.");
        console.WriteLine();
    }

    private static void WriteClosedLoop(IAnsiConsole console, ScenarioPlan plan, IReadOnlyDictionary<Scenario, List<RunResult>> results)
    {
        console.WriteLine("### Peak throughput (closed loop)");
        console.WriteLine();
        var table = NewTable("path", "operation", "keys", "throughput/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "GC pause", "allocated/request", "errors", "÷ no-op, same path", "÷ Redis Lua (HTTP)");
        foreach (var scenario in plan.ClosedLoop)
        {
            var runs = results[scenario];
            var throughput = Driver.Median(runs, r => r.Throughput);
            var noop = scenario.Noop is { } n && n != scenario ? Ratio(throughput, Driver.Median(results[n], r => r.Throughput)) : "";
            var redis = plan.RedisBaselines.GetValueOrDefault(scenario.Distribution) is { } b && b != scenario
                ? Ratio(throughput, Driver.Median(results[b], r => r.Throughput))
                : "";
            Row(table, [scenario.Path.Name, scenario.Operation, $"{scenario.Distribution}", $"{throughput:N0}", .. Latencies(runs), GcPause(runs), $"{Driver.Median(runs, r => r.Gc.BytesPerRequest):N0} B", Errors(runs), noop, redis]);
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void WritePaced(IAnsiConsole console, ScenarioPlan plan, IReadOnlyDictionary<Scenario, List<RunResult>> results, IReadOnlyDictionary<Scenario, double> rates)
    {
        if (plan.Paced.Count == 0)
        {
            return;
        }

        console.WriteLine("### Latency at a fixed offered load (paced)");
        console.WriteLine();
        var table = NewTable("path", "operation", "offered", "offered/s", "achieved/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max start lag ms", "GC pause", "errors");
        foreach (var scenario in plan.Paced.Concat(plan.Last))
        {
            var runs = results[scenario];
            Row(table,
            [
                scenario.Path.Name, scenario.Operation, scenario.Pace!.Description, $"{rates[scenario]:N0}", $"{Driver.Median(runs, r => r.Throughput):N0}",
                .. Latencies(runs), $"{Driver.Median(runs, r => r.MaxLagMs ?? 0):F1}", GcPause(runs), Errors(runs),
            ]);
        }

        console.Write(table);
        console.WriteLine();
        console.WriteLine("Requests are sent on schedule (to the millisecond) by the same number of workers (for wrk, connections); latency runs from each send. A large start lag means the senders could not keep the schedule: the service was saturated or stalled at that load.");
        console.WriteLine();
    }

    /// <summary>The send checks of linked accounts against those of unlinked ones, and the hot entity.</summary>
    private static void WriteLinked(IAnsiConsole console, ScenarioPlan plan, IReadOnlyDictionary<Scenario, List<RunResult>> results)
    {
        double Throughput(Scenario s) => Driver.Median(results[s], r => r.Throughput);
        double P99(Scenario s) => Driver.Median(results[s], r => r.Latency.P99);
        var pairs = new[] { (plan.InProcessCheck, plan.InProcessLinkedCheck), (plan.HttpCheck, plan.HttpLinkedCheck) };
        if (pairs.Any(pair => pair is ({ }, { })))
        {
            console.WriteLine("### Linked entities (closed loop)");
            console.WriteLine();
            var table = NewTable("path", "without links", "with links", "ratio");
            foreach (var (alone, linked) in pairs)
            {
                if (alone is not null && linked is not null)
                {
                    Row(table, alone.Path.Name, $"{Throughput(alone):N0}/s, p99 {P99(alone):F3} ms", $"{Throughput(linked):N0}/s, p99 {P99(linked):F3} ms", Ratio(Throughput(linked), Throughput(alone)));
                }
            }

            console.Write(table);
            console.WriteLine();
            console.WriteLine($"Linked accounts registered on a device shared by {Traffic.AccountsPerDevice} accounts and behind a prefix shared by {Traffic.AccountsPerPrefix:N0}, and every message carries one of {Traffic.FingerprintCount} forwarded contents; each runs in a subject process of its own with the same configuration.");
            console.WriteLine();
        }

        if (plan.HotEntity is not ({ } hot, var baseline) || results[hot].Select(r => r.Entities).OfType<EntityLoad>().ToList() is not { Count: > 0 } loads)
        {
            return;
        }

        double Median(Func<EntityLoad, double> value)
        {
            var sorted = loads.Select(value).Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        console.WriteLine("### Hot entity");
        console.WriteLine();
        var hotTable = NewTable("", "measured");
        Row(hotTable, "linking events sent (send checks, each a new account on the fingerprint)", $"{Median(l => l.SentPerSecond):N0}/s");
        Row(hotTable, "absorbed by the entity grains by 1 s after the run", $"{Median(l => l.Absorbed / (double)l.Sent):P1} ({Median(l => l.AbsorbedPerSecond):N0}/s)");
        Row(hotTable, "entity grain calls", $"{Median(l => l.BatchesPerSecond):N1}/s");
        Row(hotTable, "entity grains busy absorbing", $"{Median(l => l.BusyShare):P2} of a core");
        Row(hotTable, "the linking checks: p50, p99", $"{Driver.Median(results[hot], r => r.Latency.P50):F3} ms, {P99(hot):F3} ms");
        if (baseline is not null)
        {
            Row(hotTable, "the linked accounts' checks at the same rate, no new link: p50, p99", $"{Driver.Median(results[baseline], r => r.Latency.P50):F3} ms, {P99(baseline):F3} ms");
            Row(hotTable, "p99 with linking ÷ without", Ratio(P99(hot), P99(baseline)));
        }

        console.Write(hotTable);
        console.WriteLine();
        console.WriteLine("Each hot-entity run's fingerprints are new: the checks take the accounts in turn, so every check links a new account to one fingerprint, and once every account has, the next fingerprint takes over. Medians of the repetitions.");
        console.WriteLine();
    }

    /// <summary>The targets of the issue: each a ratio within this run, from the medians of its repetitions.</summary>
    private static void WriteTargets(IAnsiConsole console, DriverSettings settings, ScenarioPlan plan, IReadOnlyDictionary<Scenario, List<RunResult>> results, MemoryReport memory)
    {
        console.WriteLine("### Targets (issue 23)");
        console.WriteLine();
        var table = NewTable("target", "measured", "status");
        double Throughput(Scenario s) => Driver.Median(results[s], r => r.Throughput);
        double P99(Scenario s) => Driver.Median(results[s], r => r.Latency.P99);
        if (plan.InProcessCheck is { Noop: { } noop } inProcess)
        {
            var ratio = Throughput(inProcess) / Throughput(noop);
            Row(table, "in-process send check ≥ 0.8× the no-op grain call (each a load loop in its own silo process)", $"{ratio:F2}×", Status(ratio >= 0.8));
        }

        if (plan.InProcessLinkedCheck is { Noop: { } linkedNoop } inProcessLinked)
        {
            var ratio = Throughput(inProcessLinked) / Throughput(linkedNoop);
            Row(table, "in-process send check with linked entities ≥ 0.8× the no-op grain call", $"{ratio:F2}×", Status(ratio >= 0.8));
        }

        if (plan.HttpCheck is { } http && plan.RedisBaselines.GetValueOrDefault(http.Distribution) is { } redis)
        {
            var ratio = Throughput(http) / Throughput(redis);
            Row(table, "HTTP send check ≥ 2× the Redis Lua limiter's throughput", $"{ratio:F2}×", Status(ratio >= 2));
        }

        if (plan.HttpLinkedCheck is { } httpLinked && plan.RedisBaselines.GetValueOrDefault(httpLinked.Distribution) is { } linkedRedis)
        {
            var ratio = Throughput(httpLinked) / Throughput(linkedRedis);
            Row(table, "HTTP send check with linked entities ≥ 2× the Redis Lua limiter's throughput", $"{ratio:F2}×", Status(ratio >= 2));
        }

        if (plan.SameLoad is { } same)
        {
            var (ours, theirs) = (P99(same.Http), P99(same.Redis));
            Row(table, "HTTP send check's p99 below the Redis limiter's at the same offered load", $"{ours:F3} ms vs {theirs:F3} ms", Status(ours < theirs));
        }

        if (plan.HttpAtHalfPeak is { } httpHalf && plan.EmptyAtHttpLoad is { } empty)
        {
            var (ours, floor) = (P99(httpHalf), P99(empty));
            Row(table, "HTTP send check's p99 ≤ 1.25× the empty endpoint's at the same offered load (½ the check's peak)", $"{ours / floor:F2}× ({ours:F3} ms vs {floor:F3} ms)", Status(ours <= 1.25 * floor));
            if (plan.HttpNoopAtHttpLoad is { } noopOverHttp)
            {
                var grainFloor = P99(noopOverHttp);
                Row(table, "(beside it) a no-op grain call over HTTP, in a silo of its own, at the same offered load: its p99 ÷ the empty endpoint's",
                    $"{grainFloor / floor:F2}× ({grainFloor:F3} ms)", "reported");
            }
        }

        if (plan.GatewayCheck is { } open && plan.GatewayWithKeyCheck is { } keyed)
        {
            var ratio = Throughput(keyed) / Throughput(open);
            Row(table, "HTTP send check with an API key ≥ 0.9× without (each through a gateway process of its own)", $"{ratio:F2}×", Status(ratio >= 0.9));
        }

        Row(table, $"≤ 3 KB of GC heap per active (personal) account at {TargetAccounts:N0} accounts",
            $"{Bytes(memory.HeapPerPersonalAccount)} at {memory.Accounts:N0} (a business: {Bytes(memory.HeapPerAccount)})",
            memory.Accounts == TargetAccounts ? Status(memory.HeapPerPersonalAccount <= 3072) : $"not at {TargetAccounts:N0} accounts (--accounts {TargetAccounts})");
        console.Write(table);
        console.WriteLine();
        console.WriteLine(settings.Repeat >= 3
            ? $"Each figure is the median of {settings.Repeat} repetitions."
            : "Fewer than three repetitions: the statuses are indicative only.");
        console.WriteLine("The fifth target, 0 B allocated per event in the scoring core, is the micro-benchmarks' (their Allocated column).");
        console.WriteLine();
    }

    /// <summary>The number of accounts at which the memory target holds.</summary>
    private const int TargetAccounts = 1_000_000;

    private static string[] Latencies(List<RunResult> runs) =>
    [
        $"{Driver.Median(runs, r => r.Latency.P50):F3}",
        $"{Driver.Median(runs, r => r.Latency.P90):F3}",
        $"{Driver.Median(runs, r => r.Latency.P99):F3}",
        $"{Driver.Median(runs, r => r.Latency.P999):F3}",
    ];

    private static string GcPause(List<RunResult> runs) => $"{Driver.Median(runs, r => r.Gc.PauseShare):P0}";

    private static string Errors(List<RunResult> runs) => runs.Sum(r => r.Errors) is var errors and > 0
        ? $"{errors} ({runs.First(r => r.FirstError is not null).FirstError})"
        : "0";

    private static string Ratio(double value, double baseline) => $"{value / baseline:F2}×";

    private static string Bytes(double bytes) => $"{bytes:N0} B";

    private static string Status(bool met) => met ? "met" : "missed";

    private static Table NewTable(params string[] columns)
    {
        var table = new Table { Border = TableBorder.Markdown };
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        return table;
    }

    // Cells are plain text: ids and messages may contain brackets, which Spectre would read as markup.
    private static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(IRenderable (c) => new Text(c)));
}
