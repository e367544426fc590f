namespace ReputationGrid.Scoring.Enforcement;

/// <summary>
/// The outcome of judging an account at one moment: the automatic state it moves to and the action
/// that takes effect after operator overrides. Computing a verdict changes nothing; applying it does.
/// </summary>
public readonly record struct Verdict(
    DateTimeOffset At,
    double Score,
    EnforcementAction AutomaticAction,
    ReasonCode[] AutomaticReasons,
    DateTimeOffset? AutomaticSince,
    DateTimeOffset? SuspendedUntil,
    bool StartsSuspension,
    EnforcementAction Action,
    IReadOnlyList<ReasonCode> Reasons,
    DateTimeOffset? Until,
    DateTimeOffset? Since);
