namespace ReputationGrid.Scoring.Enforcement;

/// <summary>
/// What adopting a verdict changed, mildest first, and so how urgently the account must be stored: the owner of
/// the state decides where it is kept, this says what a change is worth.
/// </summary>
public enum EnforcementChange
{
    /// <summary>The automatic action stayed as it was (the score and counters may still have moved).</summary>
    None = 0,

    /// <summary>
    /// The action moved between allow and throttle. A throttle asks the sender to retry in seconds and is judged
    /// again from the counters at every check, so it needs no more durability than they have: it can be stored with them.
    /// </summary>
    Throttle = 1,

    /// <summary>A challenge, suspension or ban began, changed or ended: stored before the call that caused it answers.</summary>
    Standing = 2,
}
