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
        if (age < policy.NewAccount.YoungFor)
        {
            risk.Scale(policy.NewAccount.RiskMultiplier);
        }

        if (age < policy.NewAccount.BurstBanMaxAge && features.Attempts15s >= policy.NewAccount.BurstAttempts15s)
        {
            risk.HardRule = ReasonCode.NewAccountBurst;
        }

        return risk;
    }
}
