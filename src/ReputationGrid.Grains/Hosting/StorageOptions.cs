using Microsoft.Extensions.Options;

namespace ReputationGrid.Grains.Hosting;

/// <summary>Which grain storage holds account state (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Memory = "memory";

    /// <summary><c>memory</c>: state lives in the silos' memory and is lost when they stop (the embedded default).</summary>
    public string Provider { get; set; } = Memory;

    /// <summary>The storage service's connection string, for providers that need one.</summary>
    public string? ConnectionString { get; set; }

    public static IReadOnlyList<string> Providers { get; } = [Memory];
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        StorageOptions.Providers.Contains(options.Provider, StringComparer.OrdinalIgnoreCase)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Storage:Provider '{options.Provider}' is not one of: {string.Join(", ", StorageOptions.Providers)}.");
}
