using System.CommandLine;
using ReputationGrid.Hosting.Storage;

namespace ReputationGrid.LoadDriver;

/// <summary>The command line: every knob of the run, and <c>--quick</c> for a smoke check that finishes in about a minute.</summary>
internal static class DriverCommand
{
    public static RootCommand Create()
    {
        var accounts = new Option<int>("--accounts") { Description = "Accounts to activate and spread the load over.", DefaultValueFactory = _ => 100_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight (closed loop), and at most that many when paced.", DefaultValueFactory = _ => 64 };
        var duration = new Option<double>("--duration") { Description = "Seconds measured per run.", DefaultValueFactory = _ => 10 };
        var warmUp = new Option<double>("--warmup") { Description = "Seconds of load before each run's measurement.", DefaultValueFactory = _ => 3 };
        var repeat = new Option<int>("--repeat") { Description = "Interleaved repetitions of every run; the report quotes medians.", DefaultValueFactory = _ => 3 };
        var checkShare = new Option<double>("--check-share") { Description = "Share of send checks in the mixed runs; the rest are other events.", DefaultValueFactory = _ => 0.8 };
        var zipf = new Option<double>("--zipf-exponent") { Description = "Exponent s of the Zipf key distribution (share of rank k ~ 1/k^s).", DefaultValueFactory = _ => 1.0 };
        var distributions = new Option<KeyDistribution[]>("--distributions")
        {
            Description = "Key distributions; the first gets every run, the others the send checks.",
            DefaultValueFactory = _ => [KeyDistribution.Uniform, KeyDistribution.Zipf],
            AllowMultipleArgumentsPerToken = true,
        };
        var paths = new Option<string[]>("--paths")
        {
            Description = $"Paths to drive: {string.Join(", ", PathNames.All)}.",
            DefaultValueFactory = _ => [.. PathNames.All],
            AllowMultipleArgumentsPerToken = true,
        };
        paths.AcceptOnlyFromAmong([.. PathNames.All]);
        var redisServer = new Option<string>("--redis-server") { Description = "The redis-server executable for the Redis baseline.", DefaultValueFactory = _ => "redis-server" };
        var storage = new Option<string>("--storage")
        {
            Description = "Where the silo stores account state: redis (a redis-server of its own, outside the process, as durable storage is) or memory (Orleans' in-memory storage, inside it).",
            DefaultValueFactory = _ => StorageOptions.Redis,
        };
        storage.AcceptOnlyFromAmong(StorageOptions.Redis, StorageOptions.Memory);
        var wrk = new Option<string>("--wrk") { Description = "The wrk executable, which drives the HTTP paths.", DefaultValueFactory = _ => "wrk" };
        var report = new Option<string?>("--report") { Description = "Also write the Markdown report to this file." };
        var seed = new Option<int>("--seed") { Description = "Seed of the request generator.", DefaultValueFactory = _ => 1 };
        var linkingRate = new Option<double>("--linking-rate")
        {
            Description = "Linking events a second offered to one entity by the hot-entity path (send checks, each linking a new account to one fingerprint).",
            DefaultValueFactory = _ => 50_000,
        };
        var quick = new Option<bool>("--quick") { Description = "Smoke check: 2,000 accounts, uniform keys, 0.5 s warm-up, 1 s runs, one repetition, unless given explicitly." };

        var command = new RootCommand("Drives ReputationGrid's send-time check through each path beside its baselines and reports throughput, latency and memory.")
        {
            accounts, concurrency, duration, warmUp, repeat, checkShare, zipf, distributions, paths, storage, redisServer, wrk, report, linkingRate, seed, quick,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var isQuick = result.GetValue(quick);
            T Pick<T>(Option<T> option, T quickValue) => isQuick && result.GetResult(option) is null or { Implicit: true } ? quickValue : result.GetValue(option)!;
            var settings = new DriverSettings(
                Pick(accounts, 2_000),
                result.GetValue(concurrency),
                TimeSpan.FromSeconds(Pick(warmUp, 0.5)),
                TimeSpan.FromSeconds(Pick(duration, 1)),
                Pick(repeat, 1),
                result.GetValue(checkShare),
                result.GetValue(zipf),
                [.. Pick(distributions, [KeyDistribution.Uniform]).Distinct()],
                [.. result.GetValue(paths)!.Distinct()],
                result.GetValue(storage)!,
                result.GetValue(redisServer)!,
                result.GetValue(wrk)!,
                result.GetValue(report),
                result.GetValue(linkingRate),
                result.GetValue(seed),
                "benchmarks/run.sh " + string.Join(' ', WithoutReport(result.Tokens.Select(t => t.Value))));
            if (Problems(settings) is { Count: > 0 } problems)
            {
                problems.ForEach(Console.Error.WriteLine);
                return Task.FromResult(2);
            }

            return RunAsync(settings, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(DriverSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await Driver.RunAsync(settings, Console.Error, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("Stopped; every process the driver started has been stopped.");
            return 130; // as a shell reports a command ended by Ctrl-C
        }
    }

    // The command as the report shows it: run.sh adds --report with a path of this machine.
    private static IEnumerable<string> WithoutReport(IEnumerable<string> tokens)
    {
        var skip = false;
        foreach (var token in tokens)
        {
            if (token == "--report")
            {
                skip = true;
                continue;
            }

            if (!skip)
            {
                yield return token;
            }

            skip = false;
        }
    }

    private static List<string> Problems(DriverSettings settings)
    {
        var problems = new List<string>();
        if (settings.Accounts < 1 || settings.Concurrency < 1 || settings.Repeat < 1)
        {
            problems.Add("--accounts, --concurrency and --repeat must be at least 1.");
        }

        if (settings.Duration <= TimeSpan.Zero || settings.WarmUp < TimeSpan.Zero)
        {
            problems.Add("--duration must be positive and --warmup not negative.");
        }

        if (settings.CheckShare is < 0 or > 1)
        {
            problems.Add("--check-share must lie between 0 and 1.");
        }

        if (settings.LinkingRate <= 0)
        {
            problems.Add("--linking-rate must be positive.");
        }

        if (settings.ZipfExponent <= 0)
        {
            problems.Add("--zipf-exponent must be positive.");
        }

        if (settings.Distributions.Count == 0 || settings.Paths.Count == 0)
        {
            problems.Add("--distributions and --paths need at least one value.");
        }

        return problems;
    }
}
