namespace ReputationGrid.Scoring.Enforcement;

/// <summary>
/// The answer to "may this account send now?", with everything the front-end needs to act on it.
/// A value type: the send-time check answers without allocating.
/// </summary>
public readonly record struct Decision(
    EnforcementAction Action,
    double Score,
    IReadOnlyList<ReasonCode> Reasons,
    int? RetryAfterSeconds,
    DateTimeOffset? Until,
    string PolicyVersion);

/// <summary>One change of an account's enforcement, kept so every action can be explained later.</summary>
/// <param name="By">Who acted: <c>policy:&lt;version&gt;</c> for the automatic policy, else the operator.</param>
/// <param name="Note">The operator's free-text note; null for automatic changes and actions taken without one.</param>
public sealed record HistoryEntry(
    DateTimeOffset At,
    EnforcementAction Action,
    IReadOnlyList<ReasonCode> Reasons,
    string By,
    string? Note);

/// <summary>What an operator can do to an account.</summary>
public enum OperatorCommand : byte
{
    Ban = 1,
    Suspend = 2,
    Clear = 3,
    Allowlist = 4,

    /// <summary>Sets a business's tier: recorded in the history, never an override of the account's standing.</summary>
    SetTier = 5,
}

/// <summary>An operator's standing override; it wins over the automatic policy until cleared (or, for a suspension, until it ends).</summary>
/// <param name="Note">The operator's free-text note, empty when none was given.</param>
public sealed record OperatorOverride(OperatorCommand Command, DateTimeOffset At, string By, string Note, DateTimeOffset? Until);
