using Microsoft.Extensions.Options;

namespace ReputationGrid.Grains.Accounts;

/// <summary>How account grains store their state and when they go idle (configuration section <c>Accounts</c>).</summary>
public sealed class AccountGrainOptions
{
    public const string SectionName = "Accounts";

    /// <summary>The name of the grain storage provider that holds account state.</summary>
    public string StorageName { get; set; } = "accounts";

    /// <summary>
    /// Behaviour counters are written at most this often, within two of these of their first unwritten change
    /// (and on deactivation): a crash loses at most twice this much of them, and of the throttles they caused.
    /// Challenges, suspensions, bans and operator actions are written at once, whatever this says.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Counter flushes in flight at most per silo; due accounts wait for a slot. Bounds the load on a slow
    /// storage (the scheduler already spreads accounts that change together over an interval). Flushes keep
    /// up while this exceeds the writes a second needed (busy accounts ÷ <see cref="FlushInterval"/>) times the
    /// storage's write latency: 64 at 10 ms is 6,400 writes a second, every 30 s for 192,000 busy accounts.
    /// </summary>
    public int MaxConcurrentFlushes { get; set; } = 64;

    /// <summary>An account that receives no call for this long is deactivated (its state written first).</summary>
    public TimeSpan IdleDeactivation { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class AccountGrainOptionsValidator : IValidateOptions<AccountGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountGrainOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.StorageName))
        {
            errors.Add("Accounts:StorageName is required.");
        }

        if (options.FlushInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add("Accounts:FlushInterval must be at least 10 ms.");
        }

        if (options.MaxConcurrentFlushes < 1)
        {
            errors.Add("Accounts:MaxConcurrentFlushes must be at least 1.");
        }

        if (options.IdleDeactivation < TimeSpan.FromMinutes(1))
        {
            errors.Add("Accounts:IdleDeactivation must be at least one minute (Orleans' collection quantum).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
