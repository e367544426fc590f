using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using ReputationGrid.Clustering;
using ReputationGrid.Host;
using ReputationGrid.ServiceDefaults;
using ReputationGrid.Testing.Servers;
using StackExchange.Redis;
using ReputationGrid.Hosting.Storage;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// Everything under test, in this process on loopback ports of its own: the embedded host (silo and HTTP and gRPC gateway,
/// exactly as <c>ReputationGrid.Host</c> runs it, with account state in a <c>redis-server</c> child process of its own, or in
/// Orleans' in-memory storage), an Orleans external client
/// connected to the silo's gateway endpoint over TCP, for baseline (b) a <c>redis-server</c> child process and
/// the Redis limiter's web app, and the HTTP path's floor (<see cref="EmptyEndpoint"/>); and, in a child process, the
/// <c>ReputationGrid.Gateway</c> deployable in front of this process's silo.
/// </summary>
internal sealed class BenchmarkServers : IAsyncDisposable
{
    private readonly List<Func<ValueTask>> _stops = [];

    private BenchmarkServers()
    {
    }

    public WebApplication Silo { get; private set; } = null!;

    public LoadPaths Paths { get; private set; } = new(null, null, null, null, null, null, null, null, null);

    public IGrainFactory SiloGrains => Silo.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchmarkServers> StartAsync(IReadOnlyCollection<string> paths, string storage, Traffic traffic, int concurrency, string redisServer)
    {
        var servers = new BenchmarkServers();
        try
        {
            await servers.StartAllAsync(paths, storage, traffic, concurrency, redisServer);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(IReadOnlyCollection<string> paths, string storage, Traffic traffic, int concurrency, string redisServer)
    {
        string[] storageArgs = storage == StorageOptions.Redis
            ? ["--Storage:Provider", StorageOptions.Redis, "--Storage:ConnectionString", await StartRedisAsync(redisServer)]
            : ["--Storage:Provider", StorageOptions.Memory];
        var clusterId = $"bench-{Guid.NewGuid():N}";
        var gatewayPort = LoopbackPorts.Free();
        var grpcUrl = paths.Contains(PathNames.Grpc) ? $"http://127.0.0.1:{LoopbackPorts.Free()}" : "";
        Silo = EmbeddedHost.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--Clustering:SiloPort", LoopbackPorts.Free().ToString(),
            "--Clustering:GatewayPort", gatewayPort.ToString(),
            "--Clustering:ClusterId", clusterId,
            "--Gateway:GrpcUrl", grpcUrl, // empty: HTTP only
            .. Logging,
            .. storageArgs,
        ]);

        // The silo is left running when the driver ends: its state is a benchmark's, and a graceful stop would
        // deactivate every account, writing each to storage.
        await Silo.StartAsync();

        var grains = SiloGrains;
        var inProcess = paths.Contains(PathNames.InProcess);
        IGrainFactory? client = paths.Contains(PathNames.Client) ? await StartClientAsync(gatewayPort, clusterId) : null;
        var http = paths.Contains(PathNames.Http) ? HttpClientFor(Silo.Addresses().Single(address => address != grpcUrl), concurrency) : null;
        var grpc = grpcUrl.Length > 0 ? GrpcChannelFor(grpcUrl) : null;
        var redis = paths.Contains(PathNames.Redis) ? HttpClientFor(await StartRedisLimiterAsync(redisServer), concurrency) : null;
        var empty = paths.Contains(PathNames.EmptyEndpoint) ? HttpClientFor(await StartWebAppAsync(EmptyEndpoint.Create(LoopbackArgs)), concurrency) : null;
        var gateway = paths.Contains(PathNames.GatewayProcess) ? HttpClientFor(await StartGatewayProcessAsync(gatewayPort, clusterId), concurrency) : null;
        Paths = new LoadPaths(
            inProcess ? new NoopGrainPath("in-process", grains, traffic) : null,
            inProcess ? new AccountGrainPath("in-process", grains, traffic) : null,
            client is null ? null : new NoopGrainPath("client (TCP)", client, traffic),
            client is null ? null : new AccountGrainPath("client (TCP)", client, traffic),
            http is null ? null : new HttpPath("HTTP", http, traffic),
            grpc is null ? null : new GrpcPath("gRPC", grpc, traffic),
            redis is null ? null : new HttpPath("Redis Lua (HTTP)", redis, traffic),
            empty is null ? null : new HttpPath("empty endpoint (HTTP)", empty, traffic),
            gateway is null ? null : new HttpPath("HTTP, gateway process", gateway, traffic));
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _stops.Count - 1; i >= 0; i--)
        {
            await _stops[i]();
        }
    }

    /// <summary>An Orleans external client in its own host, connected to the silo's gateway endpoint on loopback over TCP.</summary>
    private async Task<IClusterClient> StartClientAsync(int gatewayPort, string clusterId)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, new ClusteringOptions().ServiceId, clusterId));
        var host = builder.Build();
        await host.StartAsync();
        _stops.Add(async () =>
        {
            await host.StopAsync();
            host.Dispose();
        });
        return host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>
    /// The gateway deployable in a process of its own, its Orleans client connected to this process's silo over TCP:
    /// the HTTP path as deployed, where the silo's collections are not the gateway's. Returns its address.
    /// </summary>
    private async Task<string> StartGatewayProcessAsync(int gatewayPort, string clusterId)
    {
        var httpPort = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "ReputationGrid.Gateway.dll"),
                "--urls", $"http://127.0.0.1:{httpPort}",
                "--Clustering:GatewayPort", gatewayPort.ToString(),
                "--Clustering:ClusterId", clusterId,
                "--Gateway:GrpcUrl", "",
            },
        };
        foreach (var argument in Logging)
        {
            start.ArgumentList.Add(argument);
        }

        var gateway = ServerProcess.Start(start);
        _stops.Add(async () =>
        {
            await gateway.StopAsync(StopSignal.Terminate, TimeSpan.FromSeconds(10));
            await gateway.DisposeAsync();
        });
        var address = new Uri($"http://127.0.0.1:{httpPort}");
        await gateway.WaitUntilReadyAsync("The gateway process", address, TimeSpan.FromSeconds(60));
        return address.ToString();
    }

    /// <summary>A redis-server of its own; returns its configuration string.</summary>
    private async Task<string> StartRedisAsync(string redisServer)
    {
        var redis = await RedisServerProcess.StartAsync(redisServer, LoopbackPorts.Free());
        _stops.Add(redis.DisposeAsync);
        return redis.ConnectionString;
    }

    private async Task<string> StartRedisLimiterAsync(string redisServer)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(await StartRedisAsync(redisServer));
        _stops.Add(async () => await connection.DisposeAsync());
        return await StartWebAppAsync(RedisLimiter.Create(connection, LoopbackArgs));
    }

    private static string[] LoopbackArgs => ["--urls", "http://127.0.0.1:0", .. Logging];

    /// <summary>
    /// Every web app's logging: warnings, and no logger for ASP.NET Core's hosting diagnostics, as the deployables'
    /// appsettings.json has it (this process does not read theirs). While that logger is on, the hosting layer makes an
    /// <c>Activity</c> and a log scope for every request; the baselines are spared them too, so all run the same framework.
    /// </summary>
    private static string[] Logging =>
        ["--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "None"];

    /// <summary>Starts a baseline's web app and stops it with the servers; returns its address.</summary>
    private async Task<string> StartWebAppAsync(WebApplication app)
    {
        await app.StartAsync();
        _stops.Add(async () =>
        {
            await app.StopAsync();
            await app.DisposeAsync();
        });
        return app.Addresses().Single();
    }

    /// <summary>One gRPC channel, as a front-end holds: HTTP/2, more connections only when one's streams run out.</summary>
    private GrpcChannel GrpcChannelFor(string address)
    {
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, UseProxy = false },
        });
        _stops.Add(() =>
        {
            channel.Dispose();
            return ValueTask.CompletedTask;
        });
        return channel;
    }

    /// <summary>One connection per request in flight, kept alive: both HTTP servers see the same client behaviour.</summary>
    private HttpClient HttpClientFor(string baseAddress, int concurrency)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false })
        {
            BaseAddress = new Uri(baseAddress),
        };
        _stops.Add(() =>
        {
            http.Dispose();
            return ValueTask.CompletedTask;
        });
        return http;
    }
}
