namespace ReputationGrid.Scoring.Policy;

/// <summary>Turns measured features into risk points under a policy. Pure: the same inputs give the same answer.</summary>
public static class RiskModel
{
    public static RiskAssessment Assess(in Features features, ScoringPolicy policy)
    {
        var curves = policy.Signals;
        var risk = new RiskAssessment();

        // Business accounts legitimately send at volume: their rate limits stretch by the multiplier.
        var velocity = features.Business ? policy.Business.VelocityMultiplier : 1;

        // A person who recently passed a challenge was at the device: signs of a machine sending count for less.
        // A business sends through an API by design: machine-like sending says little about it.
        var automationWeight = features.HoursSinceChallengePassed < policy.Escalation.PassMemory.TotalHours ? policy.Escalation.PassedAutomationWeight : 1;
        automationWeight *= features.Business ? policy.Business.AutomationWeight : 1;
        foreach (var signal in SignalRegistry.All)
        {
            if (signal.IsJudged(features, policy))
            {
                var value = signal.Read(features, policy);
                var points = curves.Of(signal).Points(signal.ScaledForBusiness ? value / velocity : value);
                risk.Add(signal.Code, signal.ShowsAutomation ? points * automationWeight : points);
            }
        }

        var age = features.AccountAge;
        var scale = age < policy.NewAccount.YoungFor ? policy.NewAccount.RiskMultiplier : 1;
        risk.Scale(scale);
        LimitUnverifiedFeedback(ref risk, features, policy, scale);

        if (age < policy.NewAccount.BurstBanMaxAge && features.Attempts15s >= policy.NewAccount.BurstAttempts15s)
        {
            risk.HardRule = ReasonCode.NewAccountBurst;
        }

        return risk;
    }

    /// <summary>
    /// Reports and blocks from people the account never messaged are unverified: a stranger can report anyone. Their
    /// points may bring an account to a throttle, never past it: whatever of them would take the score below the
    /// challenge threshold is dropped, and what is left is noted so that refusals it alone causes never escalate.
    /// </summary>
    private static void LimitUnverifiedFeedback(ref RiskAssessment risk, in Features features, ScoringPolicy policy, double scale)
    {
        var curve = policy.Signals.NegativeFeedbackCount;
        var verified = features.CorroboratedFeedback24h;
        var counted = verified + policy.UncorroboratedFeedbackWeight * features.UncorroboratedFeedback24h;
        if (counted < policy.MinimumFeedback)
        {
            return; // not judged at all
        }

        var verifiedPoints = verified >= policy.MinimumFeedback ? curve.Points(verified) : 0;
        var unverifiedPoints = (curve.Points(counted) - verifiedPoints) * scale;
        var otherPoints = risk.Points - unverifiedPoints;
        var allowed = Math.Max(0, 100 - policy.Thresholds.Challenge - otherPoints);
        if (unverifiedPoints > allowed)
        {
            risk.Reduce(ReasonCode.NegativeFeedbackCount, unverifiedPoints - allowed);
        }

        risk.UnverifiedFeedbackPoints = Math.Max(0, Math.Min(unverifiedPoints, allowed));
    }
}
