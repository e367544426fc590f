using System.Diagnostics;
using System.Text.Json.Serialization;
using ReputationGrid.Host;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.LoadDriver;

/// <summary>The kinds of server process the driver starts as copies of itself (<c>--serve KIND</c>).</summary>
internal static class ServerKinds
{
    /// <summary>The embedded host exactly as <c>ReputationGrid.Host</c> runs it: a silo and the HTTP and gRPC gateway.</summary>
    public const string Subject = "subject";

    /// <summary>The same embedded host, whose no-op grains are called instead of the account grains.</summary>
    public const string NoopSilo = "noop-silo";

    public const string RedisLimiter = "redis-limiter";

    public const string EmptyEndpoint = "empty";

    public static bool IsSilo(string kind) => kind is Subject or NoopSilo;
}

/// <summary>
/// A server process of the benchmark (<c>--serve KIND CONTROL-URL REDIS-SERVER ARGS...</c>): the server on the
/// addresses its arguments give, with a <c>redis-server</c> of its own (a child of this process) when REDIS-SERVER
/// names one, and beside it, on the control address, a small web app of the driver's (<see cref="ControlServer"/>):
/// readiness, the process's collections and memory, and for a silo its in-process load loop. Asked to stop, or left
/// by the driver, it stops its redis-server and then kills itself.
/// </summary>
internal static class ServerMode
{
    public static async Task<int> RunAsync(string kind, string controlUrl, string redisServer, string[] args)
    {
        _ = GcCardMarking.Instance; // listening from the start, so the first run's collections are seen whole
        _ = EntityLoadMeter.Instance; // listening before the silo publishes its instruments
        var redis = redisServer.Length > 0 ? await RedisServerProcess.StartAsync(redisServer, LoopbackPorts.Free()) : null;
        try
        {
            if (redis is not null)
            {
                args = [.. args, kind == ServerKinds.RedisLimiter ? "--Limiter:Redis" : "--Storage:ConnectionString", redis.ConnectionString];
            }

            var server = kind switch
            {
                ServerKinds.Subject or ServerKinds.NoopSilo => EmbeddedHost.Create(args),
                ServerKinds.RedisLimiter => RedisLimiter.Create(args),
                ServerKinds.EmptyEndpoint => EmptyEndpoint.Create(args),
                _ => throw new ArgumentException($"Unknown server kind '{kind}'.", nameof(kind)),
            };
            await server.StartAsync();
            var noopHttp = kind == ServerKinds.NoopSilo && server.Configuration[NoopGrainEndpoint.UrlKey] is { Length: > 0 } url
                ? NoopGrainEndpoint.Create([.. args, "--urls", url], server.Services.GetRequiredService<IGrainFactory>())
                : null;
            if (noopHttp is not null)
            {
                await noopHttp.StartAsync();
            }

            var control = ControlServer.Create(controlUrl, ServerKinds.IsSilo(kind) ? server.Services.GetRequiredService<IGrainFactory>() : null);
            await control.StartAsync();

            // The driver stops a server with SIGTERM, which the host turns into its stopping signal.
            await Task.WhenAny(DriverWatch.UntilDriverLeavesAsync(), Task.Delay(Timeout.Infinite, server.Lifetime.ApplicationStopping));
        }
        finally
        {
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }
        }

        DriverWatch.End();
        return 0;
    }
}

/// <summary>How a child process of the driver never outlives it: the driver holds the other end of its standard input.</summary>
internal static class DriverWatch
{
    /// <summary>Returns once the driver has closed this process's standard input, or died.</summary>
    public static Task UntilDriverLeavesAsync() => Console.OpenStandardInput().CopyToAsync(Stream.Null);

    /// <summary>Kills this process: a silo's graceful stop would deactivate every account, writing each to storage.</summary>
    public static void End() => Process.GetCurrentProcess().Kill();
}

/// <summary>The outcome of activating grains in a silo process: how fast, and its memory before and after.</summary>
internal sealed record Activation(double PerSecond, MemorySample Before, MemorySample After);

/// <summary>
/// The driver's window into a server process, on a loopback port of its own: <c>/healthz</c> once the server is up,
/// <c>/gc</c> and <c>/memory</c>, and for a silo <c>/activate</c> and <c>/run</c>, which activate grains and run a
/// load loop inside the silo's process with the silo's own grain factory.
/// </summary>
internal static class ControlServer
{
    public static WebApplication Create(string url, IGrainFactory? grains)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", url]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, LoadJson.Default);
            json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals; // latencies of a run without answers are NaN
        });
        var app = builder.Build();
        var traffic = new TrafficCache();
        app.MapGet("/healthz", () => "ready");
        app.MapGet("/gc", GcSnapshot.Take);
        app.MapGet("/memory", MemorySample.Take);
        if (grains is not null)
        {
            app.MapPost("/activate", (LoadRequest request) => ActivateAsync(grains, traffic.For(request), request.Target));
            app.MapPost("/run", (LoadRequest run, CancellationToken aborted) => RunAsync(grains, traffic.For(run), run, aborted));
        }

        return app;
    }

    /// <summary>Runs the load loop; a hot-entity run also reports what the entity grains absorbed, once the last batch had time to land.</summary>
    private static async Task<RunResult> RunAsync(IGrainFactory grains, Traffic traffic, LoadRequest run, CancellationToken aborted)
    {
        var runner = new LoadRunner(traffic, run, () => Task.FromResult(GcSnapshot.Take()));
        if (run.Target != LoadTargets.HotEntity)
        {
            return await runner.RunAsync(Path(grains, traffic, run.Target), aborted);
        }

        var hot = new HotEntityPath(grains, traffic);
        var before = EntityLoadMeter.Instance.Read();
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync(hot, aborted);
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(EntityLoadMeter.Settle, aborted);
        var after = EntityLoadMeter.Instance.Read();
        return result with { Entities = new EntityLoad(hot.Sent, after.Reports - before.Reports, after.Batches - before.Batches, after.BusyMs - before.BusyMs, seconds) };
    }

    private static IOperationPath Path(IGrainFactory grains, Traffic traffic, string target) => target switch
    {
        LoadTargets.AccountGrains => new AccountGrainPath(grains, traffic),
        LoadTargets.LinkedAccountGrains => new AccountGrainPath(grains, traffic, linked: true),
        LoadTargets.NoopGrains => new NoopGrainPath(grains, traffic),
        _ => throw new ArgumentException($"A silo's load loop cannot reach '{target}'.", nameof(target)),
    };

    /// <summary>
    /// Activates a grain for every account, sampling memory around it: account grains registered with an hour of
    /// history (<see cref="AccountGrainPath.ActivateAsync"/>), business or personal, linked or not, or no-op grains.
    /// </summary>
    private static async Task<Activation> ActivateAsync(IGrainFactory grains, Traffic traffic, string target)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 256 };
        var before = MemorySample.Take();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, traffic.Accounts.Length), parallel, async (account, _) =>
        {
            if (target is LoadTargets.AccountGrains or LoadTargets.LinkedAccountGrains or LoadTargets.PersonalAccountGrains)
            {
                await AccountGrainPath.ActivateAsync(
                    grains, traffic, account, linked: target == LoadTargets.LinkedAccountGrains, business: target != LoadTargets.PersonalAccountGrains);
            }
            else
            {
                await grains.GetGrain<INoopGrain>(traffic.Accounts[account]).CheckSendAsync(DateTimeOffset.UtcNow, new Contracts.MessageDetails("peer", true));
            }
        });
        var perSecond = traffic.Accounts.Length / clock.Elapsed.TotalSeconds;
        return new Activation(perSecond, before, MemorySample.Take());
    }

    /// <summary>The traffic of the runs, built once: a million account ids are worth keeping.</summary>
    private sealed class TrafficCache
    {
        private readonly Lock _lock = new();
        private Traffic? _traffic;

        public Traffic For(LoadRequest request)
        {
            lock (_lock)
            {
                if (_traffic is not { } traffic || traffic.Accounts.Length != request.Accounts || traffic.ZipfExponent != request.ZipfExponent)
                {
                    _traffic = traffic = new Traffic(request.Accounts, request.ZipfExponent);
                }

                return traffic;
            }
        }
    }
}
