using Microsoft.AspNetCore.Builder;
using ReputationGrid.Host;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Api.Tests;

/// <summary>The embedded host (silo and HTTP gateway) started in this process on loopback ports of its own.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _app = EmbeddedHost.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--Clustering:SiloPort", LoopbackPorts.Free().ToString(),
            "--Clustering:GatewayPort", LoopbackPorts.Free().ToString(),
            "--Clustering:ClusterId", $"api-tests-{Guid.NewGuid():N}",
            "--Gateway:MaxRequestBodyBytes", "65536",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(EmbeddedHost.Addresses(_app).Single()) };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
