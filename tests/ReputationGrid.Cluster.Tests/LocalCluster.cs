using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReputationGrid.Clustering;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Cluster.Tests;

/// <summary>One silo or gateway process of a <see cref="LocalCluster"/>.</summary>
public sealed record ClusterProcess(string Name, ServerProcess Process, int HttpPort, int? SiloPort, int? GrpcPort = null)
{
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>A gateway's gRPC API.</summary>
    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort ?? throw new InvalidOperationException($"{Name} serves no gRPC.")}");
}

/// <summary>
/// A cluster of separate silo and gateway processes on loopback: membership in Azurite (or Redis), Azurite storage, and
/// the deployables' own response timeouts and failure detection. The test process holds an Orleans client of
/// its own to look at where accounts are active. Dispose it to kill everything.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Dictionary<string, string> _settings;
    private readonly List<ClusterProcess> _silos = [];
    private readonly List<ClusterProcess> _gateways = [];
    private IHost? _observer;

    private LocalCluster(RedisServer? redis, AzuriteServer azurite)
    {
        Redis = redis;
        Azurite = azurite;
        _settings = new Dictionary<string, string>
        {
            ["Clustering:Provider"] = redis is null ? ClusteringOptions.AzureTable : ClusteringOptions.Redis,
            ["Clustering:ConnectionString"] = redis?.ConnectionString ?? azurite.ConnectionString,
            ["Clustering:ClusterId"] = $"cluster-tests-{Guid.NewGuid():N}",
            ["Clustering:ServiceId"] = $"cluster-tests-{Guid.NewGuid():N}",
            ["Storage:Provider"] = "azuretable",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
    }

    /// <summary>The membership store, when membership is in Redis rather than in Azurite.</summary>
    public RedisServer? Redis { get; }

    public AzuriteServer Azurite { get; }

    public IReadOnlyList<ClusterProcess> Silos => _silos;

    public IReadOnlyList<ClusterProcess> Gateways => _gateways;

    /// <summary>An Orleans client of the test's own, to ask the cluster where accounts are active.</summary>
    public IClusterClient Observer => _observer!.Services.GetRequiredService<IClusterClient>();

    public static async Task<LocalCluster> StartAsync(int silos, int gateways, string membership = ClusteringOptions.AzureTable)
    {
        var redis = membership == ClusteringOptions.Redis ? await RedisServer.StartNewAsync() : null;
        var azurite = await AzuriteServer.StartNewAsync();
        var cluster = new LocalCluster(redis, azurite);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                await cluster.AddSiloAsync();
            }

            for (var i = 0; i < gateways; i++)
            {
                await cluster.AddGatewayAsync();
            }

            await cluster.StartObserverAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ClusterProcess> AddSiloAsync()
    {
        var (siloPort, gatewayPort, healthPort) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        var silo = await StartProcessAsync("ReputationGrid.Silo", $"silo-{_silos.Count}", healthPort, siloPort, new()
        {
            ["Clustering:SiloPort"] = siloPort.ToString(),
            ["Clustering:GatewayPort"] = gatewayPort.ToString(),
        });
        _silos.Add(silo);
        return silo;
    }

    public async Task<ClusterProcess> AddGatewayAsync()
    {
        var (port, grpcPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var gateway = await StartProcessAsync("ReputationGrid.Gateway", $"gateway-{_gateways.Count}", port, siloPort: null, new()
        {
            ["Gateway:GrpcUrl"] = $"http://127.0.0.1:{grpcPort}",
        }) with { GrpcPort = grpcPort };
        _gateways.Add(gateway);
        return gateway;
    }

    /// <summary>The silo process with the most active accounts, and how many each silo (by silo port) has.</summary>
    public async Task<Dictionary<int, int>> ActiveAccountsBySiloPortAsync()
    {
        var statistics = await Observer.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics
            .Where(s => s.GrainType.Contains("AccountGrain", StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress.Endpoint.Port)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
    }

    public async ValueTask DisposeAsync()
    {
        if (_observer is not null)
        {
            await _observer.StopAsync(TimeSpan.FromSeconds(5));
            _observer.Dispose();
        }

        foreach (var process in _gateways.Concat(_silos))
        {
            await process.Process.DisposeAsync();
        }

        await Azurite.DisposeAsync();
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    private async Task<ClusterProcess> StartProcessAsync(string project, string name, int httpPort, int? siloPort, Dictionary<string, string> extra)
    {
        var dll = BuiltAssembly(project);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{httpPort}" },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in _settings.Concat(extra))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = ServerProcess.Start(start);
        var member = new ClusterProcess(name, process, httpPort, siloPort);
        await process.WaitUntilReadyAsync(name, member.BaseAddress, StartTimeout);
        return member;
    }

    private async Task StartObserverAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(_settings!);
        builder.UseOrleansClient(client => client.UseReputationGridClustering(builder.Configuration));
        _observer = builder.Build();
        await _observer.StartAsync();
    }

    /// <summary>Where the build put a deployable of the same configuration (Debug or Release) as these tests.</summary>
    private static string BuiltAssembly(string project)
    {
        var configuration = typeof(LocalCluster).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var path = Path.Combine(RepositoryRoot.Path, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first.");
    }
}

/// <summary>Calls a gateway's HTTP API.</summary>
public sealed class GatewayClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<HttpResponseMessage> CheckSendAsync(string account, CancellationToken cancellationToken = default) =>
        await _http.PostAsJsonAsync("/v1/decisions/send", new { account, recipient = "friend", recipientIsContact = true, typed = true }, cancellationToken);

    public async Task<HttpResponseMessage> BanAsync(string account, CancellationToken cancellationToken = default) =>
        await _http.PostAsJsonAsync($"/v1/accounts/{account}/actions", new { action = "ban", note = "cluster test" }, cancellationToken);

    public async Task<HttpResponseMessage> RecordSendsAsync(string account, int count, CancellationToken cancellationToken = default) =>
        await _http.PostAsJsonAsync("/v1/events", new
        {
            events = Enumerable.Range(0, count).Select(i => new { type = "message_sent", account, recipient = $"friend-{i}", recipientIsContact = true }),
        }, cancellationToken);

    public async Task<JsonElement> GetAccountAsync(string account, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"/v1/accounts/{account}", cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
