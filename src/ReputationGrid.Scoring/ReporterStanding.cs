namespace ReputationGrid.Scoring;

/// <summary>
/// What a report or block is worth by who gave it: an established account's counts in full, a young or actioned one's
/// less (see <see cref="Policy.FeedbackPolicy"/>). An account whose registration was never seen is established.
/// The stored code of each flag keeps its meaning: add flags, never reuse one.
/// </summary>
[Flags]
public enum ReporterStanding : byte
{
    Established = 0,

    /// <summary>Registered less than <see cref="Policy.FeedbackPolicy.YoungReporterFor"/> before the feedback.</summary>
    Young = 1,

    /// <summary>Suspended or banned when it gave the feedback.</summary>
    Actioned = 2,

    All = Young | Actioned,
}
