using System.Diagnostics;

namespace ReputationGrid.Testing.Servers;

/// <summary>
/// Azurite's Table service (the Azure Storage emulator, installed by <c>npm ci</c> at the repository root,
/// which test.sh runs) on a free loopback port, keeping its data in a throwaway folder so that it can be
/// stopped and started again without losing what was stored.
/// </summary>
public sealed class AzuriteServer() : RestartableServer("azurite")
{
    // Azurite's documented development account; it is not a secret.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    // Azurite saves what it stored on SIGINT; on SIGTERM or SIGKILL it loses its last few seconds of writes.
    protected override StopSignal SavingStopSignal => StopSignal.Interrupt;

    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(60);

    protected override string InstallHint => "run `npm ci` in the repository root, as ./test.sh does.";

    public static async Task<AzuriteServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = new AzuriteServer();
        await server.StartAsync(cancellationToken);
        return server;
    }

    protected override ProcessStartInfo StartInfo() =>
        new(Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table"))
        {
            ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(), "--location", DataFolder, "--disableTelemetry", "--silent" },
        };
}
