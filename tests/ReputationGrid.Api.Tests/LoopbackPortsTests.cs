using System.Net;
using System.Net.Sockets;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Api.Tests;

/// <summary>The ports tests and benchmarks give their servers.</summary>
public sealed class LoopbackPortsTests
{
    [Fact]
    public void Free_ports_are_distinct_below_the_ephemeral_range_and_can_be_bound()
    {
        var ports = Enumerable.Range(0, 50).Select(_ => LoopbackPorts.Free()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 20_000, 32_767));
        foreach (var port in ports.Take(5))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            Assert.Equal(port, ((IPEndPoint)listener.LocalEndpoint).Port);
        }
    }
}
