using Orleans.Configuration;
using Orleans.Storage;
using ReputationGrid.Testing;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.AzureStorage.Tests;

/// <summary>Account grains on Azure Table storage: what was acknowledged survives silo loss and storage outages.</summary>
public sealed class AccountDurabilityTests : AccountDurabilityScenarios<AzuriteServer>
{
    protected override Task<AzuriteServer> StartStorageAsync(CancellationToken cancellationToken) =>
        AzuriteServer.StartNewAsync(cancellationToken);

    protected override void UseStorage(ReputationGridClusterOptions options, AzuriteServer storage) =>
        options.UseAzureTableStorage(storage.ConnectionString, "AccountDurability"); // each test has an Azurite of its own

    protected override void UseStateSerializer(ISiloBuilder silo, Func<IServiceProvider, IGrainStorageSerializer> serializer) =>
        SerializeStatesWith<AzureTableStorageOptions>(silo, serializer);
}
