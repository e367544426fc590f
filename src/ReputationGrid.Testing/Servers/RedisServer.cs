using System.Diagnostics;

namespace ReputationGrid.Testing.Servers;

/// <summary>
/// A <c>redis-server</c> (Debian's package; test.sh installs it) on a free loopback port, with its append-only
/// file written on every change, so that it can be stopped and started again without losing what was stored.
/// </summary>
public sealed class RedisServer() : RestartableServer("redis")
{
    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    // On SIGTERM Redis finishes its append-only file.
    protected override StopSignal SavingStopSignal => StopSignal.Terminate;

    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(30);

    protected override string InstallHint => "./test.sh installs it (apt-get install redis-server).";

    public static async Task<RedisServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = new RedisServer();
        await server.StartAsync(cancellationToken);
        return server;
    }

    protected override ProcessStartInfo StartInfo() => new("redis-server")
    {
        ArgumentList =
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(), "--dir", DataFolder,
            "--save", "", "--appendonly", "yes", "--appendfsync", "always",
        },
    };
}
