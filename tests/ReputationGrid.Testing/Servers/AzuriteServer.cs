using System.Diagnostics;

namespace ReputationGrid.Testing.Servers;

/// <summary>
/// Azurite's Table service (the Azure Storage emulator, installed by <c>npm ci</c> at the repository root,
/// which test.sh runs) on a free loopback port, keeping its data in a throwaway folder so that it can be
/// stopped and started again without losing what was stored. Dispose it to stop it and delete the data.
/// </summary>
public sealed class AzuriteServer : IRestartableStorage
{
    // Azurite's documented development account; it is not a secret.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("azurite-").FullName;
    private ServerProcess? _process;

    public int Port { get; } = LoopbackPorts.Free();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    public static async Task<AzuriteServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = new AzuriteServer();
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts Azurite; after <see cref="StopAsync"/>, again on the same port and data.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("Azurite is already running.");
        }

        var executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed ({executable} is missing): run `npm ci` in the repository root, as ./test.sh does.");
        }

        var process = ServerProcess.Start(new ProcessStartInfo(executable)
        {
            ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(), "--location", _dataFolder, "--disableTelemetry", "--silent" },
        });
        _process = process;
        await process.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>
    /// Stops Azurite: clients see an outage. It is stopped with SIGINT, the signal on which it saves what
    /// it stored (on SIGTERM or SIGKILL it loses its last few seconds of writes), so that it serves the
    /// same data again after a restart.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        await process.StopAsync(StopSignal.Interrupt, TimeSpan.FromSeconds(30));
        await process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dataFolder, recursive: true);
    }
}
