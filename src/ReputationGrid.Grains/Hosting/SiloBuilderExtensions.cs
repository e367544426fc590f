using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.GarbageCollection;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.Persistence.AzureTable;
using ReputationGrid.Scoring.Policy;
using StackExchange.Redis;

namespace ReputationGrid.Grains.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds the account grains, the scoring policy (section <c>Policy</c>), their options (section
    /// <c>Accounts</c>), Orleans' load shedding (section <c>LoadShedding</c>), the pacing of young collections
    /// (section <c>YoungCollections</c>) and the account storage chosen by section <c>Storage</c>. Every option is
    /// validated when the silo starts.
    /// </summary>
    public static ISiloBuilder AddReputationGrid(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<ScoringPolicy>()
            .Bind(configuration.GetSection("Policy"), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScoringPolicy>, ScoringPolicyValidator>();
        services.AddOptions<AccountGrainOptions>().Bind(configuration.GetSection(AccountGrainOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountGrainOptions>, AccountGrainOptionsValidator>();
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<AccountGrainOptions>>((collection, accounts) =>
            collection.ClassSpecificCollectionAge[typeof(AccountGrain).FullName!] = accounts.Value.IdleDeactivation);
        // Orleans' own overload protection: an overloaded silo rejects calls, which gateways answer with 503.
        services.AddOptions<LoadSheddingOptions>().Bind(configuration.GetSection("LoadShedding"));
        services.AddSingleton<ReputationMetrics>();
        services.AddSingleton<AccountFlushScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<AccountFlushScheduler>());
        services.AddOptions<YoungCollectionOptions>().Bind(configuration.GetSection(YoungCollectionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<YoungCollectionOptions>, YoungCollectionOptionsValidator>();
        services.TryAddSingleton<IYoungGeneration, RuntimeYoungGeneration>();
        services.AddHostedService<YoungCollectionPacer>();
        services.TryAddSingleton(TimeProvider.System);
        return silo.AddAccountStorage(configuration);
    }

    /// <summary>
    /// Registers the grain storage named by <c>Accounts:StorageName</c>, of the kind <c>Storage:Provider</c>
    /// names, writing states as <c>Storage:StateFormat</c> says. The storage section is checked here, as the silo is
    /// built: it decides what gets registered.
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
                    table.ConnectionString = storage.ConnectionString;
                    table.TableName = storage.TableName;
                })
                .SerializingStates(storage));
        }
        else if (storage.Is(StorageOptions.Redis))
        {
            silo.AddRedisGrainStorage(accounts.StorageName, options => options
                .Configure(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(storage.ConnectionString!))
                .SerializingStates(storage));
        }

        return silo;
    }

    /// <summary>
    /// Account states are written in Orleans' binary format unless <c>Storage:StateFormat</c> says <c>json</c>. The
    /// providers' default, JSON (the silo's default grain-storage serializer), stored the scoring core's compact
    /// encoding as base64 under the class's assembly-qualified name: 1.6 times as large, and more than ten times the
    /// work of every flush and read (docs/BENCHMARKS.md, sections 13 and 14). Either format is read, so states stored
    /// by releases before this one stay readable, and the account's next write stores them in the format written now.
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

    private sealed class ScoringPolicyValidator : IValidateOptions<ScoringPolicy>
    {
        public ValidateOptionsResult Validate(string? name, ScoringPolicy options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
