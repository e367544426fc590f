using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace ReputationGrid.Persistence.AzureTable;

public static class AzureTableGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds a grain storage named <paramref name="name"/> that keeps grain state in an Azure Table.
    /// The same call as the official <c>Microsoft.Orleans.Persistence.AzureStorage</c> package's.
    /// </summary>
    public static ISiloBuilder AddAzureTableGrainStorage(this ISiloBuilder builder, string name, Action<AzureTableStorageOptions> configureOptions) =>
        builder.AddAzureTableGrainStorage(name, options => options.Configure(configureOptions));

    /// <inheritdoc cref="AddAzureTableGrainStorage(ISiloBuilder, string, Action{AzureTableStorageOptions})"/>
    public static ISiloBuilder AddAzureTableGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<AzureTableStorageOptions>>? configureOptions = null)
    {
        var services = builder.Services;
        configureOptions?.Invoke(services.AddOptions<AzureTableStorageOptions>(name));
        services.AddTransient<IPostConfigureOptions<AzureTableStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<AzureTableStorageOptions>>();
        services.AddTransient<IConfigurationValidator>(provider =>
            new AzureTableStorageOptionsValidator(provider.GetRequiredService<IOptionsMonitor<AzureTableStorageOptions>>().Get(name), name));
        services.AddGrainStorage(name, static (provider, name) => ActivatorUtilities.CreateInstance<AzureTableGrainStorage>(
            provider,
            name,
            provider.GetRequiredService<IOptionsMonitor<AzureTableStorageOptions>>().Get(name)));
        return builder;
    }
}
