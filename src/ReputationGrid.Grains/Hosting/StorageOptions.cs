using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ReputationGrid.Grains.Hosting;

/// <summary>Which grain storage holds account state (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Memory = "memory";
    public const string AzureTable = "azuretable";
    public const string Redis = "redis";

    /// <summary>
    /// <c>memory</c>: state lives in the silos' memory and is lost when they stop (the embedded default).
    /// <c>azuretable</c>: state lives in an Azure Table (or Azurite) reached with <see cref="ConnectionString"/>.
    /// <c>redis</c>: state lives in Redis, reached with the StackExchange.Redis configuration string <see cref="ConnectionString"/>;
    /// it is as durable as that Redis's own persistence.
    /// </summary>
    public string Provider { get; set; } = Memory;

    /// <summary>The storage service's connection string, for <c>azuretable</c> and <c>redis</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table holding account state, for <c>azuretable</c>.</summary>
    public string TableName { get; set; } = "ReputationGridState";

    public static IReadOnlyList<string> Providers { get; } = [Memory, AzureTable, Redis];

    public bool Is(string provider) => string.Equals(Provider, provider, StringComparison.OrdinalIgnoreCase);
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!StorageOptions.Providers.Any(options.Is))
        {
            return ValidateOptionsResult.Fail($"Storage:Provider '{options.Provider}' is not one of: {string.Join(", ", StorageOptions.Providers)}.");
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
