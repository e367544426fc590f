using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using ReputationGrid.Testing;

namespace ReputationGrid.AzureStorage.Tests;

/// <summary>
/// A one-silo cluster whose account storage is Azure Table storage on a table of its own, as
/// <c>Storage:Provider=azuretable</c> configures it. Tests call the storage as the grain runtime does.
/// </summary>
public sealed class AccountStorageFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    private ReputationGridCluster? _cluster;

    public string TableName { get; } = AzuriteFixture.NewTableName("accounts");

    public TableClient Table => new TableServiceClient(azurite.ConnectionString).GetTableClient(TableName);

    public string ServiceId => _cluster!.Cluster.Options.ServiceId;

    public IServiceProvider SiloServices => _cluster!.Cluster.GetSiloServiceProvider();

    /// <summary>The account storage (<c>Accounts:StorageName</c>, by default <c>accounts</c>).</summary>
    public IGrainStorage Storage => SiloServices.GetRequiredKeyedService<IGrainStorage>("accounts");

    public Serializer Serializer => SiloServices.GetRequiredService<Serializer>();

    public IClusterClient Client => _cluster!.Client;

    /// <summary>Deactivates the grain, so that its next call reads what is stored.</summary>
    public Task DeactivateAsync(IGrain grain) => _cluster!.Cluster.DeactivateAsync(grain);

    public async ValueTask InitializeAsync() => _cluster = await ReputationGridCluster.StartAsync(options =>
    {
        options.Silos = 1;
        options.UseAzureTableStorage(azurite.ConnectionString, TableName);
    });

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>A state of any size, to test the layout.</summary>
[GenerateSerializer, Alias("rg.tests.PayloadState")]
public sealed class PayloadState
{
    [Id(0)]
    public string Label { get; set; } = "";

    [Id(1)]
    public byte[] Payload { get; set; } = [];
}
