using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

internal static class TestPolicies
{
    /// <summary>
    /// The shipped policy without the <c>unanswered_recipients</c> signal: as policies judged before state format 8 (which
    /// kept no first contacts), and for tests of another mechanism on sends that signal would judge on its own.
    /// </summary>
    public static ScoringPolicy WithoutUnansweredRecipients()
    {
        var policy = new ScoringPolicy();
        policy.Signals.UnansweredRecipients.Weight = 0;
        return policy;
    }
}
