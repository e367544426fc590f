using Microsoft.Extensions.Options;

namespace ReputationGrid.Grains.Evidence;

/// <summary>How long accounts' enforcement records are kept (configuration section <c>Evidence</c>).</summary>
public sealed class EvidenceOptions
{
    public const string SectionName = "Evidence";

    /// <summary>
    /// Records older than this are no longer read, and are dropped from storage when the account's record next
    /// activates (a sealed page of them once its newest record has expired).
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(730);
}

public sealed class EvidenceOptionsValidator : IValidateOptions<EvidenceOptions>
{
    public ValidateOptionsResult Validate(string? name, EvidenceOptions options) =>
        options.Retention < TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Fail("Evidence:Retention must be at least one day.")
            : ValidateOptionsResult.Success;
}
