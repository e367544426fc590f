using System.Diagnostics;
using System.Text.Json;
using ReputationGrid.Api.Auth;
using ReputationGrid.Hosting.Storage;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// One path measured by the driver: a run's load is generated in the process it names and sent to the server under
/// test, in a process of its own, and the result comes back with that server's collections.
/// </summary>
internal interface IBenchmarkPath
{
    string Name { get; }

    Task<RunResult> RunAsync(LoadRequest run, CancellationToken cancellationToken);
}

/// <summary>The paths by name, as the <c>--paths</c> option takes them.</summary>
internal static class PathNames
{
    public const string InProcess = "inproc";

    /// <summary>The in-process send check on a subject of its own with a shadow policy installed.</summary>
    public const string InProcessShadow = "inproc-shadow";
    public const string Client = "client";
    public const string Http = "http";
    public const string Grpc = "grpc";
    public const string Redis = "redis";
    public const string EmptyEndpoint = "empty";

    /// <summary>The empty endpoint's request and answer with a no-op grain call between them, in the no-op grain's silo.</summary>
    public const string HttpNoop = "http-noop";
    public const string GatewayProcess = "gateway";
    public const string GatewayWithApiKey = "gateway-key";

    /// <summary>The in-process and HTTP send checks of linked accounts, on a subject of their own.</summary>
    public const string InProcessLinked = "inproc-linked";
    public const string HttpLinked = "http-linked";

    /// <summary>Send checks that each link a new account to one fingerprint, on the linked accounts' subject.</summary>
    public const string HotEntity = "hot-entity";

    public static IReadOnlyList<string> All { get; } =
        [InProcess, InProcessShadow, Client, Http, Grpc, Redis, EmptyEndpoint, HttpNoop, GatewayProcess, GatewayWithApiKey, InProcessLinked, HttpLinked, HotEntity];
}

/// <summary>A load loop inside a silo's process, calling its grains through the silo's own grain factory.</summary>
internal sealed class InSiloPath(string name, BenchmarkServer silo, string target) : IBenchmarkPath
{
    public string Name => name;

    public Task<RunResult> RunAsync(LoadRequest run, CancellationToken cancellationToken) => silo.RunAsync(run with { Target = target }, cancellationToken);
}

/// <summary>A load process of its own (<see cref="LoadProcess"/>) that reaches a server as a front-end would.</summary>
internal sealed class LoadProcessPath(string name, string target, string address, string? clusterId, BenchmarkServer measured) : IBenchmarkPath
{
    public string Name => name;

    public async Task<RunResult> RunAsync(LoadRequest run, CancellationToken cancellationToken)
    {
        var own = run with { Target = target, Address = address, ClusterId = clusterId, GcOf = measured.Control.ToString() };
        var start = ChildProcesses.Driver(["--load", JsonSerializer.Serialize(own, LoadJson.Default.LoadRequest)]);
        // The margin covers the process's start and its client's connection.
        var output = await ChildProcesses.RunToEndAsync(start, $"The load process of {name}", own.TimeLimit + TimeSpan.FromSeconds(60), cancellationToken);
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(LoadProcess.ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The load process of {name} printed no result:{Environment.NewLine}{output}");
        return JsonSerializer.Deserialize(line[LoadProcess.ResultPrefix.Length..], LoadJson.Default.RunResult)!;
    }
}

/// <summary>An HTTP server driven by wrk.</summary>
internal sealed class WrkPath(string name, Uri address, BenchmarkServer measured, WrkRunner wrk, string? bearer = null, bool linked = false) : IBenchmarkPath
{
    public string Name => name;

    public Task<RunResult> RunAsync(LoadRequest run, CancellationToken cancellationToken) => wrk.RunAsync(address, run, measured, bearer, linked, cancellationToken);
}

/// <summary>
/// Everything under test, each server in a process of its own on loopback ports of its own, all copies of the driver
/// (<see cref="ServerMode"/>) except the gateway deployable: the subject (the embedded host exactly as
/// <c>ReputationGrid.Host</c> runs it, with account state in a <c>redis-server</c> of its own or in Orleans' in-memory
/// storage); a second silo process with the same configuration for the no-op grain; the Redis limiter (with its own
/// <c>redis-server</c>) and the empty endpoint; and the <c>ReputationGrid.Gateway</c> deployable in front of the
/// subject's silo. Every process is stopped when the driver ends, whichever way it ends.
/// </summary>
internal sealed class BenchmarkServers : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _processes = [];

    private BenchmarkServers()
    {
    }

    /// <summary>The embedded host: the silo whose account grains are measured, and its HTTP and gRPC gateway.</summary>
    public BenchmarkServer Subject { get; private set; } = null!;

    /// <summary>
    /// A silo with the subject's configuration that only holds personal accounts, to measure their memory; stopped by
    /// <see cref="StopPersonalSubjectAsync"/> once measured, so that it shares no run with the others.
    /// </summary>
    public BenchmarkServer? PersonalSubject { get; private set; }

    /// <summary>A subject whose accounts are linked to devices, prefixes and contents; null unless one of its paths is driven.</summary>
    public BenchmarkServer? LinkedSubject { get; private set; }

    /// <summary>A second subject, with a shadow policy installed; null unless its path is driven.</summary>
    public BenchmarkServer? ShadowedSubject { get; private set; }

    private Uri? _shadowedSubjectHttp;

    /// <summary>The silo of the no-op grain; null when no path needs it.</summary>
    public BenchmarkServer? NoopSilo { get; private set; }

    public LoadPaths Paths { get; private set; } = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public static async Task<BenchmarkServers> StartAsync(DriverSettings settings, Traffic traffic, CancellationToken cancellationToken)
    {
        var servers = new BenchmarkServers();
        try
        {
            await servers.StartAllAsync(settings, traffic, cancellationToken);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(DriverSettings settings, Traffic traffic, CancellationToken cancellationToken)
    {
        var paths = settings.Paths;
        // With Redis storage, each silo has a redis-server of its own, as the Redis limiter has.
        var storageServer = settings.Storage == StorageOptions.Redis ? settings.RedisServer : null;
        var subject = Silo("the subject", ServerKinds.Subject, settings.Storage, storageServer, grpc: paths.Contains(PathNames.Grpc));
        var personal = Silo("the subject with personal accounts", ServerKinds.Subject, settings.Storage, storageServer, grpc: false);
        var shadowed = paths.Contains(PathNames.InProcessShadow)
            ? Silo("the subject with a shadow policy", ServerKinds.Subject, settings.Storage, storageServer, grpc: false)
            : null;
        var linked = paths.Contains(PathNames.InProcessLinked) || paths.Contains(PathNames.HttpLinked) || paths.Contains(PathNames.HotEntity)
            ? Silo("the subject with linked accounts", ServerKinds.Subject, settings.Storage, storageServer, grpc: false)
            : null;
        var noopHttp = paths.Contains(PathNames.HttpNoop) ? new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}") : null;
        var noop = paths.Contains(PathNames.InProcess) || paths.Contains(PathNames.InProcessShadow) || paths.Contains(PathNames.Client) || paths.Contains(PathNames.InProcessLinked) || noopHttp is not null
            ? Silo("the no-op grain's silo", ServerKinds.NoopSilo, settings.Storage, storageServer, grpc: false, noopHttp)
            : null;
        var limiter = paths.Contains(PathNames.Redis) ? Baseline("the Redis limiter", ServerKinds.RedisLimiter, settings.RedisServer) : null;
        var empty = paths.Contains(PathNames.EmptyEndpoint) ? Baseline("the empty endpoint", ServerKinds.EmptyEndpoint, null) : null;
        // The servers start side by side; the gateway deployable needs the subject's silo to connect to.
        await Task.WhenAll(new[] { subject.Server, personal.Server, linked?.Server, shadowed?.Server, noop?.Server, limiter?.Server, empty?.Server }.OfType<BenchmarkServer>().Select(server => server.WaitUntilReadyAsync()));
        var gateway = paths.Contains(PathNames.GatewayProcess) ? await StartGatewayProcessAsync(subject, apiKey: null) : null;
        var gatewayWithKey = paths.Contains(PathNames.GatewayWithApiKey) ? await StartGatewayProcessAsync(subject, BenchmarkApiKey) : null;
        if (shadowed is not null)
        {
            await InstallShadowPolicyAsync(shadowed.Http, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();

        Subject = subject.Server;
        PersonalSubject = personal.Server;
        LinkedSubject = linked?.Server;
        ShadowedSubject = shadowed?.Server;
        _shadowedSubjectHttp = shadowed?.Http;
        NoopSilo = noop?.Server;
        var wrk = new WrkRunner(settings.Wrk, traffic);
        var inProcess = paths.Contains(PathNames.InProcess);
        var client = paths.Contains(PathNames.Client);
        Paths = new LoadPaths(
            inProcess || shadowed is not null || paths.Contains(PathNames.InProcessLinked) ? new InSiloPath("in-process", noop!.Server, LoadTargets.NoopGrains) : null,
            inProcess ? new InSiloPath("in-process", subject.Server, LoadTargets.AccountGrains) : null,
            shadowed is not null ? new InSiloPath("in-process, shadow policy", shadowed.Server, LoadTargets.AccountGrains) : null,
            client ? new LoadProcessPath("client (TCP)", LoadTargets.NoopGrains, $"{noop!.GatewayPort}", noop.ClusterId, noop.Server) : null,
            client ? new LoadProcessPath("client (TCP)", LoadTargets.AccountGrains, $"{subject.GatewayPort}", subject.ClusterId, subject.Server) : null,
            paths.Contains(PathNames.Http) ? new WrkPath("HTTP", subject.Http, subject.Server, wrk) : null,
            subject.Grpc is { } grpc ? new LoadProcessPath("gRPC", LoadTargets.Grpc, grpc.ToString(), null, subject.Server) : null,
            limiter is { } l ? new WrkPath("Redis Lua (HTTP)", l.Http, l.Server, wrk) : null,
            empty is { } e ? new WrkPath("empty endpoint (HTTP)", e.Http, e.Server, wrk) : null,
            noopHttp is not null ? new WrkPath("no-op grain (HTTP)", noopHttp, noop!.Server, wrk) : null,
            gateway is { } g ? new WrkPath("HTTP, gateway process", g, subject.Server, wrk) : null,
            gatewayWithKey is { } k ? new WrkPath("HTTP, gateway process, API key", k, subject.Server, wrk, BenchmarkApiKey) : null,
            paths.Contains(PathNames.InProcessLinked) ? new InSiloPath("in-process, linked", linked!.Server, LoadTargets.LinkedAccountGrains) : null,
            paths.Contains(PathNames.HttpLinked) ? new WrkPath("HTTP, linked", linked!.Http, linked.Server, wrk, linked: true) : null,
            paths.Contains(PathNames.HotEntity) ? new InSiloPath("in-process, hot entity", linked!.Server, LoadTargets.HotEntity) : null);
    }

    /// <summary>Stops the personal accounts' silo (and its storage), once their memory is measured.</summary>
    public async Task StopPersonalSubjectAsync()
    {
        if (PersonalSubject is { } personal)
        {
            PersonalSubject = null;
            _processes.Remove(personal);
            await personal.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }
    }

    /// <summary>
    /// A silo process: the embedded host on free loopback ports, in a cluster of its own; a no-op grain's silo also
    /// serves the no-op grain over HTTP on <paramref name="noopHttp"/> when given (<see cref="NoopGrainEndpoint"/>).
    /// </summary>
    private SiloServer Silo(string name, string kind, string storage, string? redisServer, bool grpc, Uri? noopHttp = null)
    {
        var http = LoopbackPorts.Free();
        var gatewayPort = LoopbackPorts.Free();
        var clusterId = $"bench-{Guid.NewGuid():N}";
        var grpcUrl = grpc ? new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}") : null;
        var server = Track(BenchmarkServer.Start(name, kind, redisServer,
        [
            "--urls", $"http://127.0.0.1:{http}",
            "--Clustering:SiloPort", LoopbackPorts.Free().ToString(),
            "--Clustering:GatewayPort", gatewayPort.ToString(),
            "--Clustering:ClusterId", clusterId,
            "--Gateway:GrpcUrl", grpcUrl?.ToString() ?? "", // empty: HTTP only
            "--Storage:Provider", storage,
            "--" + NoopGrainEndpoint.UrlKey, noopHttp?.ToString() ?? "",
            .. Logging,
        ]));
        return new SiloServer(server, new Uri($"http://127.0.0.1:{http}"), grpcUrl, gatewayPort, clusterId);
    }

    /// <summary>A baseline web app in a process of its own, on a free loopback port.</summary>
    private WebServer Baseline(string name, string kind, string? redisServer)
    {
        var http = LoopbackPorts.Free();
        var server = Track(BenchmarkServer.Start(name, kind, redisServer, ["--urls", $"http://127.0.0.1:{http}", .. Logging]));
        return new WebServer(server, new Uri($"http://127.0.0.1:{http}"));
    }

    /// <summary>The key the authenticated gateway process accepts (role sender), made for this run only.</summary>
    private static readonly string BenchmarkApiKey = KeyCommand.NewKey();

    /// <summary>
    /// The gateway deployable in a process of its own, its Orleans client connected to the subject's silo over TCP:
    /// the HTTP path as deployed, requiring <paramref name="apiKey"/> when one is given. Returns its address.
    /// </summary>
    private async Task<Uri> StartGatewayProcessAsync(SiloServer silo, string? apiKey)
    {
        var httpPort = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "ReputationGrid.Gateway.dll"),
                "--urls", $"http://127.0.0.1:{httpPort}",
                "--Clustering:GatewayPort", silo.GatewayPort.ToString(),
                "--Clustering:ClusterId", silo.ClusterId,
                "--Gateway:GrpcUrl", "",
            },
        };
        string[] auth = apiKey is null
            ? []
            : ["--Auth:Keys:0:Name", "benchmark", "--Auth:Keys:0:Role", "sender", "--Auth:Keys:0:Sha256", KeyCommand.Hash(apiKey)];
        foreach (var argument in (string[])[.. auth, .. Logging])
        {
            start.ArgumentList.Add(argument);
        }

        var gateway = Track(ServerProcess.Start(start));
        var address = new Uri($"http://127.0.0.1:{httpPort}");
        await gateway.WaitUntilReadyAsync("The gateway process", address, TimeSpan.FromSeconds(60));
        return address;
    }

    /// <summary>
    /// Installs a candidate that acts ten points sooner at every level, so every decision is judged twice and counted.
    /// The silo applies it within its policy poll, which each run's warm-up outlasts.
    /// </summary>
    private static async Task InstallShadowPolicyAsync(Uri silo, CancellationToken cancellationToken)
    {
        var candidate = new ScoringPolicy { Version = "benchmark-shadow" };
        candidate.Thresholds.Throttle += 10;
        candidate.Thresholds.Challenge += 10;
        candidate.Thresholds.Suspend += 10;
        using var http = new HttpClient { BaseAddress = silo };
        using var body = new StringContent(PolicyDocument.Write(candidate), System.Text.Encoding.UTF8, "application/json");
        (await http.PutAsync("/v1/policy/shadow", body, cancellationToken)).EnsureSuccessStatusCode();
    }

    /// <summary>Send checks the shadowed subject compared with its candidate, which shows the candidate was in force; null without it.</summary>
    public async Task<long?> ShadowComparedAsync(CancellationToken cancellationToken)
    {
        if (_shadowedSubjectHttp is null)
        {
            return null;
        }

        using var http = new HttpClient { BaseAddress = _shadowedSubjectHttp };
        using var report = JsonDocument.Parse(await http.GetStringAsync("/v1/policy/shadow/report?limit=1", cancellationToken));
        return report.RootElement.GetProperty("compared").GetInt64();
    }

    private T Track<T>(T process)
        where T : IAsyncDisposable
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>
    /// Every server's logging: warnings, and no logger for ASP.NET Core's hosting diagnostics, as the deployables'
    /// appsettings.json has it (the servers are not started where they would read theirs). While that logger is on,
    /// the hosting layer makes an <c>Activity</c> and a log scope for every request; the baselines are spared them too.
    /// </summary>
    private static string[] Logging =>
        ["--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "None"];

    private sealed record SiloServer(BenchmarkServer Server, Uri Http, Uri? Grpc, int GatewayPort, string ClusterId);

    private sealed record WebServer(BenchmarkServer Server, Uri Http);
}
