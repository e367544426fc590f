namespace ReputationGrid.Scoring.Enforcement;

/// <summary>
/// The outcome of judging an account at one moment: the score, the automatic policy's standing and the standing that
/// takes effect after operator overrides. Computing a verdict changes nothing; applying it does.
/// </summary>
/// <param name="StartsSuspension">The automatic policy suspends the account at this moment (counted towards repeat offences).</param>
public readonly record struct Verdict(DateTimeOffset At, double Score, Standing Automatic, bool StartsSuspension, Standing Effective);

/// <summary>An action in force: why, since when, and until when (for a suspension).</summary>
public readonly record struct Standing(EnforcementAction Action, ReasonCode[] Reasons, DateTimeOffset? Since, DateTimeOffset? Until);
