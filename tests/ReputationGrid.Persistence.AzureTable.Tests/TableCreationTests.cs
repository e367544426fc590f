using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using ReputationGrid.Testing;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Persistence.AzureTable.Tests;

/// <summary>The table is created when the silo starts, retrying while storage is not yet reachable.</summary>
public sealed class TableCreationTests(AzuriteFixture azurite, ProviderFixture provider) : IClassFixture<ProviderFixture>
{
    [Fact]
    public async Task The_silo_created_its_table_when_it_started()
    {
        var service = new TableServiceClient(azurite.ConnectionString);

        var tables = await service.QueryAsync(t => t.Name == provider.TableName, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Single(tables);
    }

    [Fact]
    public async Task Creation_retries_until_storage_becomes_reachable()
    {
        await using var lateStorage = new AzuriteServer();
        var storage = Create(lateStorage.ConnectionString, creationTimeout: TimeSpan.FromMinutes(1));

        var initializing = storage.InitializeAsync(TestContext.Current.CancellationToken);
        Assert.False(initializing.IsCompleted);
        await lateStorage.StartAsync(TestContext.Current.CancellationToken);
        await initializing;

        var state = new GrainState<PayloadState>(new PayloadState { Label = "after a late start" });
        await storage.WriteStateAsync("payload", GrainId.Create("test", "late"), state);
        Assert.NotNull(state.ETag);
    }

    [Fact]
    public async Task Creation_gives_up_after_its_timeout_with_a_clear_error()
    {
        var unreachable = new AzuriteServer();
        await using var _ = unreachable;
        var storage = Create(unreachable.ConnectionString, creationTimeout: TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<OrleansConfigurationException>(() => storage.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Contains("could not create table", error.Message);
    }

    [Fact]
    public async Task A_silo_configured_for_azuretable_without_a_connection_string_does_not_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReputationGridCluster.StartAsync(options =>
        {
            options.Silos = 1;
            options.Settings["Storage:Provider"] = "azuretable";
        }));

        Assert.Contains("Storage:ConnectionString is required", error.ToString());
    }

    private AzureTableGrainStorage Create(string connectionString, TimeSpan creationTimeout)
    {
        var services = provider.SiloServices;
        var options = new AzureTableStorageOptions
        {
            ConnectionString = connectionString,
            TableName = AzuriteFixture.NewTableName("late"),
            CreationTimeout = creationTimeout,
            PauseBetweenCreationRetries = TimeSpan.FromMilliseconds(100),
            GrainStorageSerializer = services.GetRequiredService<IGrainStorageSerializer>(),
        };
        return ActivatorUtilities.CreateInstance<AzureTableGrainStorage>(services, "late", options);
    }
}
