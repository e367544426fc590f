using Microsoft.Extensions.Options;

namespace ReputationGrid.Hosting.Activations;

/// <summary>
/// Orleans' memory-based activation shedding (configuration section <c>ActivationShedding</c>): when the silo's memory
/// use passes <see cref="MemoryLimitPercentage"/> of what the process may use (the physical memory, a container's
/// limit or <c>DOTNET_GCHeapHardLimit</c>), idle activations are deactivated, their state written first, until it is
/// back under <see cref="MemoryTargetPercentage"/>. A flood of never-seen account ids then costs storage reads
/// instead of running the silo out of memory.
/// </summary>
public sealed class ActivationSheddingOptions
{
    public const string SectionName = "ActivationShedding";

    public bool Enabled { get; set; } = true;

    public int MemoryLimitPercentage { get; set; } = 80;

    public int MemoryTargetPercentage { get; set; } = 70;

    /// <summary>How often memory use is read: unique ids can activate tens of thousands of accounts a second.</summary>
    public TimeSpan PollingPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

internal sealed class ActivationSheddingOptionsValidator : IValidateOptions<ActivationSheddingOptions>
{
    public ValidateOptionsResult Validate(string? name, ActivationSheddingOptions options)
    {
        var errors = new List<string>();
        if (options.MemoryLimitPercentage is < 10 or > 99)
        {
            errors.Add($"{ActivationSheddingOptions.SectionName}:MemoryLimitPercentage must be from 10 to 99; it is {options.MemoryLimitPercentage}.");
        }

        if (options.MemoryTargetPercentage < 5 || options.MemoryTargetPercentage >= options.MemoryLimitPercentage)
        {
            errors.Add($"{ActivationSheddingOptions.SectionName}:MemoryTargetPercentage must be at least 5 and below MemoryLimitPercentage; it is {options.MemoryTargetPercentage}.");
        }

        if (options.PollingPeriod < TimeSpan.FromMilliseconds(100) || options.PollingPeriod > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{ActivationSheddingOptions.SectionName}:PollingPeriod must be from 100 ms to 1 minute; it is {options.PollingPeriod}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
