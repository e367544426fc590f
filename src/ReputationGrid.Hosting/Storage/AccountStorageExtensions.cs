using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using ReputationGrid.Grains.Accounts;
using Orleans.Configuration;
using ReputationGrid.Clustering;
using StackExchange.Redis;

namespace ReputationGrid.Hosting.Storage;

public static class AccountStorageExtensions
{
    /// <summary>
    /// Registers the grain storage named by <c>Accounts:StorageName</c>, of the kind <c>Storage:Provider</c>
    /// names, writing states as <c>Storage:StateFormat</c> says. The storage section is checked here, as the silo is
    /// built: it decides what gets registered. Storage failures leave grain calls as <see cref="ReputationGrid.Contracts.StorageUnavailableException"/>.
    /// </summary>
    public static ISiloBuilder AddAccountStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        if (new StorageOptionsValidator().Validate(null, storage) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), invalid.Failures);
        }

        var accounts = configuration.GetSection(AccountGrainOptions.SectionName).Get<AccountGrainOptions>() ?? new AccountGrainOptions();
        if (storage.Is(StorageOptions.Memory))
        {
            silo.AddMemoryGrainStorage(accounts.StorageName);
        }
        else if (storage.Is(StorageOptions.AzureTable))
        {
            silo.AddAzureTableGrainStorage(accounts.StorageName, options => options
                .Configure(table =>
                {
                    table.TableServiceClient = AzureTableClients.Create(storage.ConnectionString!);
                    table.TableName = storage.TableName;
                })
                .SerializingStates(storage));
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new TableCreation(storage));
        }
        else if (storage.Is(StorageOptions.Redis))
        {
            silo.AddRedisGrainStorage(accounts.StorageName, options => options
                .Configure(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(storage.ConnectionString!))
                .SerializingStates(storage));
        }

        if (!storage.Is(StorageOptions.Memory))
        {
            silo.AddIncomingGrainCallFilter<StorageFailureFilter>();
        }

        return silo;
    }

    /// <summary>
    /// Account states are written in Orleans' binary format unless <c>Storage:StateFormat</c> says <c>json</c>, and
    /// either is read: the providers' default, JSON, stores the core's encoding as base64 under the class's name, which
    /// is larger and slower, but states that older releases stored that way must stay readable.
    /// </summary>
    private static OptionsBuilder<T> SerializingStates<T>(this OptionsBuilder<T> options, StorageOptions storage)
        where T : class, IStorageProviderSerializerOptions =>
        options.Configure<Serializer, IGrainStorageSerializer>((provider, serializer, json) =>
        {
            var binary = new PooledBinaryStorageSerializer(serializer);
            provider.GrainStorageSerializer = storage.Writes(StorageOptions.Json)
                ? new GrainStorageSerializer(json, binary)
                : new GrainStorageSerializer(binary, json);
        });
}

/// <summary>
/// Creates the account table before Orleans' provider starts, waiting up to <see cref="StorageOptions.StartupTimeout"/>
/// for storage to answer: the provider tries only once, so a silo started with its storage would otherwise fail.
/// </summary>
internal sealed class TableCreation(StorageOptions storage) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(TableCreation),
        ServiceLifecycleStage.ApplicationServices - 1, // before the provider's own start (AzureTableStorageOptions.InitStage)
        cancellation => AzureTableClients.CreateTableWhenReachableAsync(storage.ConnectionString!, storage.TableName, storage.StartupTimeout, cancellation));
}
