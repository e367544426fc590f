using System.Diagnostics;

namespace ReputationGrid.Testing.Servers;

/// <summary>
/// A <c>redis-server</c> (Debian's package; test.sh installs it) on a free loopback port, with its append-only
/// file in a throwaway folder so that it can be stopped and started again without losing what was stored.
/// Dispose it to stop it and delete the data.
/// </summary>
public sealed class RedisServer : IRestartableStorage
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("redis-").FullName;
    private ServerProcess? _process;

    public int Port { get; } = LoopbackPorts.Free();

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = new RedisServer();
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts Redis; after <see cref="StopAsync"/>, again on the same port and data.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("Redis is already running.");
        }

        try
        {
            _process = ServerProcess.Start(new ProcessStartInfo("redis-server")
            {
                ArgumentList =
                {
                    "--bind", "127.0.0.1", "--port", Port.ToString(), "--dir", _dataFolder,
                    "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                },
            });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: ./test.sh installs it (apt-get install redis-server).", e);
        }

        await _process.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Stops Redis (SIGTERM, on which it finishes its append-only file): clients see an outage.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        await process.StopAsync(StopSignal.Terminate, TimeSpan.FromSeconds(30));
        await process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dataFolder, recursive: true);
    }
}
