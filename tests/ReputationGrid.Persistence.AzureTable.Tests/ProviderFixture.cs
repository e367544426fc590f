using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using ReputationGrid.Testing;

namespace ReputationGrid.Persistence.AzureTable.Tests;

/// <summary>
/// A one-silo cluster with two Azure Table storages on a table of their own: <c>blank</c> clears a state
/// by overwriting it, <c>delete</c> by deleting it. Tests call the providers as the grain runtime does.
/// </summary>
public sealed class ProviderFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string Blank = "blank";
    public const string Delete = "delete";

    private ReputationGridCluster? _cluster;

    public string TableName { get; } = AzuriteFixture.NewTableName("provider");

    public TableClient Table => new TableServiceClient(azurite.ConnectionString).GetTableClient(TableName);

    public string ServiceId => _cluster!.Cluster.Options.ServiceId;

    public IServiceProvider SiloServices => _cluster!.Cluster.GetSiloServiceProvider();

    public IGrainStorage Storage(string name) => SiloServices.GetRequiredKeyedService<IGrainStorage>(name);

    public async ValueTask InitializeAsync() => _cluster = await ReputationGridCluster.StartAsync(options =>
    {
        options.Silos = 1;
        options.ConfigureSilo.Add(silo => silo
            .AddAzureTableGrainStorage(Blank, storage =>
            {
                storage.ConnectionString = azurite.ConnectionString;
                storage.TableName = TableName;
            })
            .AddAzureTableGrainStorage(Delete, storage =>
            {
                storage.ConnectionString = azurite.ConnectionString;
                storage.TableName = TableName;
                storage.DeleteStateOnClear = true;
            }));
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
