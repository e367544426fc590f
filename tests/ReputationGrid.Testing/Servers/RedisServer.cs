using System.Diagnostics;

namespace ReputationGrid.Testing.Servers;

/// <summary>
/// A <c>redis-server</c> (Debian's package; test.sh installs it) on a free loopback port, without
/// persistence. Dispose it to stop it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private RedisServer(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var port = LoopbackPorts.Free();
        ServerProcess process;
        try
        {
            process = ServerProcess.Start(new ProcessStartInfo("redis-server")
            {
                ArgumentList = { "--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no" },
            });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: ./test.sh installs it (apt-get install redis-server).", e);
        }

        await process.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), cancellationToken);
        return new RedisServer(process, port);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
