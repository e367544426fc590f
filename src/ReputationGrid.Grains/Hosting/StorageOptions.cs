using Microsoft.Extensions.Options;

namespace ReputationGrid.Grains.Hosting;

/// <summary>Which grain storage holds account state (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Memory = "memory";
    public const string AzureTable = "azuretable";

    /// <summary>
    /// <c>memory</c>: state lives in the silos' memory and is lost when they stop (the embedded default).
    /// <c>azuretable</c>: state lives in an Azure Table (or Azurite) reached with <see cref="ConnectionString"/>.
    /// </summary>
    public string Provider { get; set; } = Memory;

    /// <summary>The storage service's connection string, for providers that need one.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table holding account state, for <c>azuretable</c>.</summary>
    public string TableName { get; set; } = "ReputationGridState";

    public static IReadOnlyList<string> Providers { get; } = [Memory, AzureTable];

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

        return options.Is(StorageOptions.AzureTable) && string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("Storage:ConnectionString is required when Storage:Provider is azuretable.")
            : ValidateOptionsResult.Success;
    }
}
