using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using ReputationGrid.Clustering;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// A load generator in a process of its own (<c>--load RUN-JSON</c>): it connects to a server over loopback as a
/// front-end would (an Orleans external client to the silo's gateway endpoint, or a gRPC channel), makes one run, reads
/// the server process's collections from its control address around the measurement, and prints the
/// <see cref="RunResult"/> as one line of JSON after <see cref="ResultPrefix"/>.
/// </summary>
internal static class LoadProcess
{
    public const string ResultPrefix = "rg-result ";

    public static async Task<int> RunAsync(string runJson)
    {
        _ = DriverWatch.UntilDriverLeavesAsync().ContinueWith(_ => DriverWatch.End(), TaskScheduler.Default);
        var run = JsonSerializer.Deserialize(runJson, LoadJson.Default.LoadRequest) ?? throw new ArgumentException("No run given.", nameof(runJson));
        var traffic = new Traffic(run.Accounts, run.ZipfExponent);
        using var control = new HttpClient { BaseAddress = new Uri(run.GcOf ?? throw new ArgumentException("A load process measures a server: GcOf is required.", nameof(runJson))) };
        Func<Task<GcSnapshot>> readGc = async () => await control.GetFromJsonAsync("/gc", LoadJson.Default.GcSnapshot);
        var address = run.Address ?? throw new ArgumentException("A load process needs the address of what it drives.", nameof(runJson));
        RunResult result;
        if (run.Target == LoadTargets.Grpc)
        {
            using var channel = GrpcChannelFor(address);
            result = await new LoadRunner(traffic, run, readGc).RunAsync(new GrpcPath(channel, traffic), CancellationToken.None);
        }
        else
        {
            using var client = await StartClientAsync(int.Parse(address), run.ClusterId!);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            IOperationPath path = run.Target == LoadTargets.NoopGrains ? new NoopGrainPath(grains, traffic) : new AccountGrainPath(grains, traffic);
            result = await new LoadRunner(traffic, run, readGc).RunAsync(path, CancellationToken.None);
            await client.StopAsync();
        }

        Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, LoadJson.Default.RunResult));
        return 0;
    }

    /// <summary>One gRPC channel, as a front-end holds: HTTP/2, more connections only when one's streams run out.</summary>
    private static GrpcChannel GrpcChannelFor(string address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, UseProxy = false },
    });

    /// <summary>An Orleans external client in its own host, connected to a silo's gateway endpoint on loopback over TCP.</summary>
    private static async Task<IHost> StartClientAsync(int gatewayPort, string clusterId)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, new ClusteringOptions().ServiceId, clusterId));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
