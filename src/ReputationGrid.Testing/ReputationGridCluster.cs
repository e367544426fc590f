using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ReputationGrid.Grains.Linking;
using ReputationGrid.Hosting;

namespace ReputationGrid.Testing;

/// <summary>How to build an in-memory ReputationGrid cluster.</summary>
public sealed class ReputationGridClusterOptions
{
    public short Silos { get; set; } = 2;

    /// <summary>
    /// The service id, which durable storage keys state by. A cluster started again with the same id (and
    /// the same storage) reads what the earlier one stored. Default: a new id per cluster.
    /// </summary>
    public string ServiceId { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Configuration the silos see, as in appsettings (for example <c>["Accounts:FlushInterval"] = "00:00:05"</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The clock of the grains (their timers and "now"). Orleans' own background work keeps real time,
    /// so a fake clock here can be advanced without disturbing the cluster.
    /// </summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Whether the silos and the client write log files under <c>logs/</c> of the working directory (TestingHost's default).</summary>
    public bool FileLogging { get; set; } = true;

    /// <summary>Further silo configuration, such as an instrumented storage provider.</summary>
    public List<Action<ISiloBuilder>> ConfigureSilo { get; } = [];

    /// <summary>Keeps account state in table <paramref name="tableName"/> of an Azure Table service (such as Azurite).</summary>
    public ReputationGridClusterOptions UseAzureTableStorage(string connectionString, string tableName)
    {
        Settings["Storage:Provider"] = "azuretable";
        Settings["Storage:ConnectionString"] = connectionString;
        Settings["Storage:TableName"] = tableName;
        return this;
    }

    /// <summary>Keeps account state in Redis, reached with a StackExchange.Redis configuration string.</summary>
    public ReputationGridClusterOptions UseRedisStorage(string connectionString)
    {
        Settings["Storage:Provider"] = "redis";
        Settings["Storage:ConnectionString"] = connectionString;
        return this;
    }
}

/// <summary>
/// A cluster of silos in this process running the account grains (on in-memory storage unless configured
/// otherwise), with a client.
/// It opens no network ports. Dispose it to stop everything.
/// </summary>
public sealed class ReputationGridCluster : IAsyncDisposable
{
    private readonly LinkingTraffic _linkingTraffic;

    private ReputationGridCluster(InProcessTestCluster cluster, LinkingTraffic linkingTraffic) =>
        (Cluster, _linkingTraffic) = (cluster, linkingTraffic);

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public static async Task<ReputationGridCluster> StartAsync(Action<ReputationGridClusterOptions>? configure = null)
    {
        var options = new ReputationGridClusterOptions();
        configure?.Invoke(options);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(options.Settings).Build();

        var linkingTraffic = new LinkingTraffic();
        var builder = new InProcessTestClusterBuilder(options.Silos);
        builder.Options.ServiceId = options.ServiceId;
        builder.Options.ConfigureFileLogging = options.FileLogging;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(linkingTraffic); // one count for the whole cluster: a call is sent on one silo and handled on another
            silo.AddReputationGrid(configuration);
            if (options.Time is { } time)
            {
                silo.Services.AddSingleton(time);
                silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            }

            foreach (var configureSilo in options.ConfigureSilo)
            {
                configureSilo(silo);
            }
        });

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ReputationGridCluster(cluster, linkingTraffic);
    }

    /// <summary>
    /// Sends every silo's queued reports to their entities and waits until every entity has handled them and every
    /// account has handled the entities' pushes, including what those pushes made accounts report in turn. Throws when
    /// the cluster is not quiet within <paramref name="timeout"/> (a lost one-way call).
    /// </summary>
    public Task SettleLinkingAsync(TimeSpan timeout) =>
        LinkingSettlement.SettleAsync([.. Cluster.Silos.Select(silo => silo.ServiceProvider)], _linkingTraffic, timeout);

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
