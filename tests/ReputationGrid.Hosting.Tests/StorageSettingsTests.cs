using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ReputationGrid.Hosting;
using ReputationGrid.Hosting.Storage;

namespace ReputationGrid.Hosting.Tests;

/// <summary>A silo whose <c>Storage</c> section is wrong does not start, and says what is wrong.</summary>
public sealed class StorageSettingsTests
{
    [Theory]
    [InlineData("redis", null, null, "Storage:ConnectionString is required when Storage:Provider is redis.")]
    [InlineData("Redis", "127.0.0.1:6379,colour=blue", null, "Storage:ConnectionString is not a Redis configuration string: Keyword 'colour' is not supported. (Parameter 'colour')")]
    [InlineData("redis", ",", null, "Storage:ConnectionString is not a Redis configuration string: it names no server.")]
    [InlineData("azuretable", " ", null, "Storage:ConnectionString is required when Storage:Provider is azuretable.")]
    [InlineData("files", null, null, "Storage:Provider 'files' is not one of: memory, azuretable, redis.")]
    [InlineData("redis", "127.0.0.1:6379", "xml", "Storage:StateFormat 'xml' is not one of: binary, json.")]
    public void Wrong_storage_settings_stop_the_silo_with_a_clear_message(string provider, string? connectionString, string? stateFormat, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:ConnectionString"] = connectionString,
        };
        if (stateFormat is not null)
        {
            settings["Storage:StateFormat"] = stateFormat;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var error = Assert.Throws<OptionsValidationException>(() => new SiloBuilderStub().AddAccountStorage(configuration));

        Assert.Equal([message], error.Failures);
    }

    [Theory]
    [InlineData("memory", null)]
    [InlineData("redis", "127.0.0.1:6379,abortConnect=false")]
    [InlineData("azuretable", "UseDevelopmentStorage=true")]
    public void Valid_storage_settings_register_the_account_storage(string provider, string? connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:ConnectionString"] = connectionString,
        }).Build();
        var silo = new SiloBuilderStub();

        silo.AddAccountStorage(configuration);

        Assert.Contains(silo.Services, service => service.IsKeyedService && Equals(service.ServiceKey, "accounts") && service.ServiceType == typeof(Orleans.Storage.IGrainStorage));
    }
}
