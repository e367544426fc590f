using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// Drives an HTTP server with <c>wrk</c>, a load generator in a process of its own: the requests are the same as every
/// other path's (written by the driver from the same <see cref="Traffic"/>, replayed in order). One wrk thread holds
/// one kept-alive connection per request in flight. Runs last whole seconds (wrk's unit). A paced run offers a fixed
/// rate: every time a connection is ready, it takes the next slot of the schedule and waits for it (to the
/// millisecond); latency runs from the send, and the largest delay of a send behind its slot is reported, as
/// <see cref="LoadRunner"/>'s paced runs do.
/// </summary>
internal sealed class WrkRunner(string wrk, Traffic traffic)
{
    /// <summary>Requests written per run; a longer run replays them from the start.</summary>
    private const int RequestCount = 100_000;

    private const string ResultPrefix = "rg-result";

    // Reads the driver's requests (route TAB body, one a line), sends them in turn and prints one line of results.
    private const string ClosedLoopScript = """
        local requests, count, index = {}, 0, 0
        max_lag_ms = 0

        function init(args)
          local headers = { ["Content-Type"] = "application/json" }
          if args[3] ~= "-" then
            headers["Authorization"] = "Bearer " .. args[3]
          end
          for line in io.lines(args[1]) do
            local tab = line:find("\t", 1, true)
            count = count + 1
            requests[count] = wrk.format("POST", line:sub(1, tab - 1), headers, line:sub(tab + 1))
          end
          init_pace(tonumber(args[2]))
        end

        function init_pace(rate)
        end

        function request()
          index = index % count + 1
          return requests[index]
        end

        local threads = {}

        function setup(thread)
          table.insert(threads, thread)
        end

        function done(summary, latency, _)
          local lag = 0
          for _, thread in ipairs(threads) do
            lag = math.max(lag, thread:get("max_lag_ms"))
          end
          local errors = summary.errors
          io.write(string.format("rg-result %d %d %d %d %d %d %d %d %.3f\n", summary.requests, summary.duration,
            latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
            errors.connect + errors.read + errors.write + errors.timeout, errors.status, lag))
        end
        """;

    // wrk decides whether to call delay() before it runs init(), so a paced run's script defines it from the start.
    private const string PacedScript = ClosedLoopScript + """

        local ffi = require("ffi")
        ffi.cdef[[
        typedef struct { long seconds; long nanoseconds; } rg_timespec;
        int clock_gettime(int clock, rg_timespec *now);
        ]]
        local clock = ffi.new("rg_timespec")
        local interval, next_due

        local function now_ms()
          ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
          return tonumber(clock.seconds) * 1000 + tonumber(clock.nanoseconds) / 1e6
        end

        function init_pace(rate)
          interval = 1000 / rate
        end

        function delay()
          local now = now_ms()
          next_due = next_due or now
          local due = next_due
          next_due = next_due + interval
          if due < now then
            max_lag_ms = math.max(max_lag_ms, now - due)
            return 0
          end
          return due - now
        end
        """;

    /// <summary>
    /// Makes the run against the HTTP server at <paramref name="address"/>, presenting <paramref name="bearer"/> when
    /// given, and reports the collections of <paramref name="measured"/>.
    /// </summary>
    public async Task<RunResult> RunAsync(Uri address, LoadRequest run, BenchmarkServer measured, string? bearer, bool linked, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reputationgrid-wrk-");
        try
        {
            var script = Path.Combine(folder.FullName, "requests.lua");
            var requests = Path.Combine(folder.FullName, "requests.txt");
            await File.WriteAllTextAsync(script, run.Rate is null ? ClosedLoopScript : PacedScript, cancellationToken);
            await WriteRequestsAsync(run, linked, requests);
            // The script, the server, then the script's own arguments: the requests, the rate (0: closed loop) and the bearer token ("-": none).
            string[] arguments = ["--script", script, address.ToString(), "--", requests, (run.Rate ?? 0).ToString("R", CultureInfo.InvariantCulture), bearer ?? "-"];

            if (run.WarmUp > TimeSpan.Zero)
            {
                await RunWrkAsync(run.WarmUp, run.Concurrency, arguments, cancellationToken);
            }

            var gc = await measured.GcAsync(cancellationToken);
            var output = await RunWrkAsync(run.Duration, run.Concurrency, arguments, cancellationToken);
            return Parse(output, run.Rate is not null, gc, await measured.GcAsync(cancellationToken));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task WriteRequestsAsync(LoadRequest run, bool linked, string file)
    {
        var random = new Random(run.Seed);
        await using var writer = new StreamWriter(file, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        for (var i = 0; i < RequestCount; i++)
        {
            var (route, body) = HttpRequests.For(traffic, traffic.Next(random, run.Distribution, run.CheckShare), linked);
            await writer.WriteAsync($"{route}\t{body}\n");
        }
    }

    private Task<string> RunWrkAsync(TimeSpan length, int concurrency, string[] arguments, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(length.TotalSeconds));
        var start = new ProcessStartInfo(wrk);
        foreach (var argument in (string[])["--threads", "1", "--connections", concurrency.ToString(CultureInfo.InvariantCulture), "--duration", $"{seconds}s", "--timeout", "30s", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        // wrk stops by itself after its duration; the margin covers its start and the last requests' answers.
        return ChildProcesses.RunToEndAsync(start, "wrk (benchmarks/run.sh installs Debian's wrk; or pass --wrk PATH)", TimeSpan.FromSeconds(seconds + 45), cancellationToken);
    }

    private static RunResult Parse(string output, bool paced, GcSnapshot gcBefore, GcSnapshot gcAfter)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no results:\n{output}");
        var fields = line[ResultPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(field => double.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var (requests, microseconds) = (fields[0], fields[1]);
        static double Ms(double microseconds) => microseconds / 1000;
        var latency = requests == 0 ? LatencySummary.None : new LatencySummary(Ms(fields[2]), Ms(fields[3]), Ms(fields[4]), Ms(fields[5]));
        var (socketErrors, statusErrors) = ((long)fields[6], (long)fields[7]);
        var first = (socketErrors, statusErrors) switch
        {
            (> 0, _) => $"wrk: {socketErrors} connect, read, write or timeout errors",
            (_, > 0) => $"wrk: {statusErrors} answers with an error status",
            _ => null,
        };
        return new RunResult(requests / (microseconds / 1e6), latency, socketErrors + statusErrors, first, paced ? fields[8] : null, gcBefore.Until(gcAfter, requests));
    }
}
