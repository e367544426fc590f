using Microsoft.Extensions.Options;

namespace ReputationGrid.Grains.Linking;

/// <summary>How accounts and their linked entities talk (configuration section <c>Linking</c>).</summary>
public sealed class LinkingOptions
{
    public const string SectionName = "Linking";

    /// <summary>
    /// Each silo sends its accounts' reports to an entity at most once per this interval. An entity's risk reaches its
    /// listed accounts one push after the batch that changed it, so this is most of the staleness bound.
    /// </summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// When set, the batcher sends only when <see cref="EntityReportBatcher.Flush"/> is called, never on its timer: a
    /// simulator stepping virtual time flushes at its own barriers, so what entities have heard depends on event time alone.
    /// </summary>
    public bool FlushOnDemand { get; set; }
}

public sealed class LinkingOptionsValidator : IValidateOptions<LinkingOptions>
{
    public ValidateOptionsResult Validate(string? name, LinkingOptions options) =>
        options.BatchInterval >= TimeSpan.FromMilliseconds(10) && options.BatchInterval <= TimeSpan.FromSeconds(10)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Linking:BatchInterval must be between 10 ms and 10 s.");
}
