namespace ReputationGrid.Scoring.Policy;

/// <summary>Turns measured features into risk points under a policy. Pure: the same inputs give the same answer.</summary>
public static class RiskModel
{
    public static RiskAssessment Assess(in Features features, ScoringPolicy policy)
    {
        var signals = policy.Signals;
        var risk = new RiskAssessment();

        // Business accounts legitimately send at volume: their rate limits stretch by the multiplier.
        var velocity = features.Business ? policy.Business.VelocityMultiplier : 1;
        risk.Add(ReasonCode.SendRate15s, signals.SendRate15s.Points(features.Attempts15s / velocity));
        risk.Add(ReasonCode.SendRate1m, signals.SendRate1m.Points(features.Attempts1m / velocity));
        risk.Add(ReasonCode.SendRate1h, signals.SendRate1h.Points(features.Attempts1h / velocity));
        risk.Add(ReasonCode.SendRate24h, signals.SendRate24h.Points(features.Attempts24h / velocity));

        if (features.Sent24h >= policy.MinimumSendsForShares)
        {
            risk.Add(ReasonCode.UnansweredStrangerShare, signals.UnansweredStrangerShare.Points(features.UnansweredStrangerShare24h));
        }

        risk.Add(ReasonCode.UnansweredStrangers, signals.UnansweredStrangers.Points(features.UnansweredStrangers24h));
        risk.Add(ReasonCode.GroupCreation, signals.GroupCreation.Points(features.GroupsCreated10m));
        risk.Add(ReasonCode.GroupMembersAdded, signals.GroupMembersAdded.Points(features.GroupMembersAdded1h));
        risk.Add(ReasonCode.NonContactGroupAdds, signals.NonContactGroupAdds.Points(features.NonContactGroupMembersAdded1h));

        // Only people the account had messaged can show that its messages are unwanted (the ratio);
        // reports from strangers count for less, so a coordinated false-report campaign cannot suspend.
        var corroborated = features.CorroboratedFeedback24h;
        var weightedFeedback = corroborated + policy.UncorroboratedFeedbackWeight * features.UncorroboratedFeedback24h;
        if (corroborated >= policy.MinimumFeedback)
        {
            var ratio = corroborated / Math.Max(features.DistinctRecipients24h, corroborated);
            risk.Add(ReasonCode.NegativeFeedbackRatio, signals.NegativeFeedbackRatio.Points(ratio));
        }

        if (weightedFeedback >= policy.MinimumFeedback)
        {
            risk.Add(ReasonCode.NegativeFeedbackCount, signals.NegativeFeedbackCount.Points(weightedFeedback));
        }

        risk.Add(ReasonCode.FingerprintFanout, signals.FingerprintFanout.Points(features.FingerprintFanout1h));
        risk.Add(ReasonCode.ForwardFanout, signals.ForwardFanout.Points(features.Forwards1h));
        if (features.TypingKnown24h >= policy.MinimumSendsForShares)
        {
            risk.Add(ReasonCode.NoTyping, signals.NoTyping.Points(features.UntypedShare24h));
        }

        if (features.TimedIntervals >= policy.MinimumTimedIntervals)
        {
            risk.Add(ReasonCode.ClockworkTiming, signals.ClockworkTiming.Points(features.TimingVariation));
        }

        var age = features.AccountAgeHours is { } hours ? TimeSpan.FromHours(hours) : (TimeSpan?)null;
        if (features.Network == NetworkKind.Voip && age < policy.NewAccount.VoipSignalFor)
        {
            risk.Add(ReasonCode.VoipRegistration, signals.VoipRegistration.Points(1));
        }

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
