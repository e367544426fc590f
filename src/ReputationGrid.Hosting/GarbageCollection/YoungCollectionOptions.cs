using Microsoft.Extensions.Options;

namespace ReputationGrid.Hosting.GarbageCollection;

/// <summary>How often the silo makes sure the runtime's young generation is collected (configuration section <c>YoungCollections</c>).</summary>
public sealed class YoungCollectionOptions
{
    public const string SectionName = "YoungCollections";

    /// <summary>The shortest interval accepted: shorter ones collect more often than any pause is worth.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest interval accepted: longer ones no longer bound a pause below the runtime's own choice.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Every interval, the silo asks the runtime for a young collection if none ran during it (and enough was
    /// allocated to be worth one), so that a pause covers at most about two intervals of grain calls. Zero turns
    /// the pacing off.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(20);
}

internal sealed class YoungCollectionOptionsValidator : IValidateOptions<YoungCollectionOptions>
{
    public ValidateOptionsResult Validate(string? name, YoungCollectionOptions options) =>
        options.Interval == TimeSpan.Zero || (options.Interval >= YoungCollectionOptions.MinInterval && options.Interval <= YoungCollectionOptions.MaxInterval)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{YoungCollectionOptions.SectionName}:Interval must be zero (off) or from {YoungCollectionOptions.MinInterval.TotalMilliseconds} ms to {YoungCollectionOptions.MaxInterval.TotalSeconds} s; it is {options.Interval}.");
}
