using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using ReputationGrid.Host;
using ReputationGrid.ServiceDefaults;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Api.Tests;

/// <summary>The embedded host (silo and HTTP gateway) started in this process on loopback ports of its own.</summary>
public class GatewayFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The host's services, for what a test observes inside the server, such as its meters.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>The gRPC API, on a loopback port of its own.</summary>
    public GrpcChannel Grpc { get; private set; } = null!;

    private readonly int _grpcPort = LoopbackPorts.Free();

    /// <summary>Command-line settings added to the defaults, such as a storage provider.</summary>
    protected virtual IEnumerable<string> ExtraArguments() => [];

    /// <summary>Changes to the host's services before it is built.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    /// <summary>A cluster of its own on free loopback ports, for each host a test starts.</summary>
    public static string[] ClusterArguments() =>
    [
        "--Clustering:SiloPort", LoopbackPorts.Free().ToString(),
        "--Clustering:GatewayPort", LoopbackPorts.Free().ToString(),
        "--Clustering:ClusterId", $"api-tests-{Guid.NewGuid():N}",
        "--Logging:LogLevel:Default", "Warning",
    ];

    public virtual async ValueTask InitializeAsync()
    {
        _app = EmbeddedHost.Create(
        [
            "--urls", "http://127.0.0.1:0",
            .. ClusterArguments(),
            "--Gateway:MaxRequestBodyBytes", "65536",
            "--Gateway:GrpcUrl", $"http://127.0.0.1:{_grpcPort}",
            "--Logging:LogLevel:Default", "Warning",
            .. ExtraArguments(),
        ], Configure);
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(_app.Addresses().Single(address => !address.EndsWith($":{_grpcPort}", StringComparison.Ordinal))) };
        Grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{_grpcPort}");
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Grpc.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
