using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ReputationGrid.Hosting.Storage;

/// <summary>Which grain storage holds account state (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Memory = "memory";
    public const string AzureTable = "azuretable";
    public const string Redis = "redis";
    public const string Binary = "binary";
    public const string Json = "json";

    /// <summary>
    /// <c>memory</c>: state lives in the silos' memory and is lost when they stop (the embedded default).
    /// <c>azuretable</c>: state lives in an Azure Table (or Azurite) reached with <see cref="ConnectionString"/>, through
    /// Orleans' own Azure Table grain storage (Microsoft.Orleans.Persistence.AzureStorage).
    /// <c>redis</c>: state lives in Redis, reached with the StackExchange.Redis configuration string <see cref="ConnectionString"/>;
    /// it is as durable as that Redis's own persistence.
    /// </summary>
    public string Provider { get; set; } = Memory;

    /// <summary>The storage service's connection string, for <c>azuretable</c> and <c>redis</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table holding account state, for <c>azuretable</c>.</summary>
    public string TableName { get; set; } = "ReputationGridState";

    /// <summary>How long a starting silo waits for <c>azuretable</c> storage to answer before it gives up.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How account states are written, for <c>azuretable</c> and <c>redis</c>: <c>binary</c>, Orleans' serializer, or
    /// <c>json</c>, the format releases before it wrote. Both are always read. <c>json</c> is for a rolling upgrade
    /// from such a release: until none of its silos runs, write what they can read.
    /// </summary>
    public string StateFormat { get; set; } = Binary;

    public static IReadOnlyList<string> Providers { get; } = [Memory, AzureTable, Redis];

    public static IReadOnlyList<string> StateFormats { get; } = [Binary, Json];

    public bool Is(string provider) => string.Equals(Provider, provider, StringComparison.OrdinalIgnoreCase);

    public bool Writes(string stateFormat) => string.Equals(StateFormat, stateFormat, StringComparison.OrdinalIgnoreCase);
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!StorageOptions.Providers.Any(options.Is))
        {
            return ValidateOptionsResult.Fail($"Storage:Provider '{options.Provider}' is not one of: {string.Join(", ", StorageOptions.Providers)}.");
        }

        if (!StorageOptions.StateFormats.Any(options.Writes))
        {
            return ValidateOptionsResult.Fail($"Storage:StateFormat '{options.StateFormat}' is not one of: {string.Join(", ", StorageOptions.StateFormats)}.");
        }

        if (options.StartupTimeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Storage:StartupTimeout must be a positive duration.");
        }

        if (options.Is(StorageOptions.Memory))
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail($"Storage:ConnectionString is required when Storage:Provider is {options.Provider.ToLowerInvariant()}.");
        }

        return options.Is(StorageOptions.Redis) && !IsRedisConfiguration(options.ConnectionString, out var error)
            ? ValidateOptionsResult.Fail($"Storage:ConnectionString is not a Redis configuration string: {error}")
            : ValidateOptionsResult.Success;
    }

    private static bool IsRedisConfiguration(string connectionString, out string? error)
    {
        try
        {
            error = ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0 ? "it names no server." : null;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
        }

        return error is null;
    }
}
