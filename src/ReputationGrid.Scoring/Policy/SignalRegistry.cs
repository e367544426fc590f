using System.Collections.Immutable;

namespace ReputationGrid.Scoring.Policy;

/// <summary>
/// Every behavioural risk signal, in the order they contribute to an assessment (which orders reasons that tie).
/// Adding a signal: a reason code, an entry here, <see cref="Count"/>, a property of <see cref="SignalPolicies"/> and a
/// row in docs/POLICY.md; the tests fail until all of them agree.
/// </summary>
public static class SignalRegistry
{
    /// <summary>How many signals there are: a constant, because an assessment holds one contribution per signal inline.</summary>
    public const int Count = 23;

    public static ImmutableArray<Signal> All { get; } = Checked(
    [
        new(ReasonCode.SendRate15s, new(6, 20, 60), static (in f, _) => f.Attempts15s, scaledForBusiness: true),
        new(ReasonCode.SendRate1m, new(20, 60, 40), static (in f, _) => f.Attempts1m, scaledForBusiness: true),
        new(ReasonCode.SendRate1h, new(200, 600, 40), static (in f, _) => f.Attempts1h, scaledForBusiness: true),
        new(ReasonCode.SendRate24h, new(1000, 3000, 40), static (in f, _) => f.Attempts24h, scaledForBusiness: true),
        new(ReasonCode.UnansweredStrangerShare, new(0.5, 0.95, 30), static (in f, _) => f.UnansweredStrangerShare24h,
            static (in f, policy) => f.Sent24h >= policy.MinimumSendsForShares),
        new(ReasonCode.UnansweredStrangers, new(5, 40, 50), static (in f, _) => f.UnansweredStrangers24h),
        new(ReasonCode.GroupCreation, new(5, 20, 80), static (in f, _) => f.GroupsCreated10m),
        new(ReasonCode.GroupMembersAdded, new(300, 3000, 50), static (in f, _) => f.GroupMembersAdded1h),
        new(ReasonCode.NonContactGroupAdds, new(100, 500, 80), static (in f, _) => f.NonContactGroupMembersAdded1h),

        // Only people the account had messaged can show that its messages are unwanted (the ratio);
        // reports from strangers count for less, so a coordinated false-report campaign cannot suspend.
        new(ReasonCode.NegativeFeedbackRatio, new(0.02, 0.1, 80),
            static (in f, _) => f.CorroboratedFeedback24h / Math.Max(1, Math.Max(f.DistinctRecipients24h, f.CorroboratedFeedback24h)),
            static (in f, policy) => f.CorroboratedFeedback24h >= policy.MinimumFeedback),
        new(ReasonCode.NegativeFeedbackCount, new(3, 15, 40), WeightedFeedback,
            static (in f, policy) => WeightedFeedback(f, policy) >= policy.MinimumFeedback),
        // One report from someone the account messaged, when almost nobody it messages answers: a sender of unwanted
        // messages shows itself before a second report arrives, while an honest person's replies keep this at zero.
        // Not for a business: people rarely answer its notices, and its complaints are what its quality rating weighs.
        new(ReasonCode.ReportedWhileIgnored, new(0.8, 0.95, 35), static (in f, _) => 1 - f.ReplyRatio24h,
            static (in f, policy) => !f.Business && f.CorroboratedFeedback24h >= 1 && f.Sent24h >= policy.MinimumSendsWhenReported),
        // People the account started messaging within two hours, contacts or not, who had time to answer and almost none
        // did: a bought list uploaded as contacts, worked through slowly enough that reports come late. People answer those
        // who write to them, and a class or a group of contacts messaged at once is judged only once its messages are old
        // enough to have been answered. Judged only while the day's messages are about one per person, as a list is
        // worked through: someone holding conversations writes to the same people again. Not for a business: people
        // rarely answer its notices.
        new(ReasonCode.UnansweredRecipients, new(0.7, 0.9, 35), static (in f, _) => f.UnansweredFirstContactShare,
            static (in f, policy) => !f.Business && f.AnswerableFirstContacts2h >= policy.MinimumAnswerableFirstContacts
                && f.Sent24h < policy.ListMessagesPerRecipient * f.DistinctRecipients24h),
        new(ReasonCode.FingerprintFanout, new(10, 40, 70), static (in f, _) => f.FingerprintFanout1h),
        new(ReasonCode.ForwardFanout, new(30, 150, 40), static (in f, _) => f.Forwards1h),
        new(ReasonCode.NoTyping, new(0.6, 0.98, 25), static (in f, _) => f.UntypedShare24h,
            static (in f, policy) => f.TypingKnown24h >= policy.MinimumSendsForShares, showsAutomation: true),
        new(ReasonCode.ClockworkTiming, new(0.3, 0.05, 30), static (in f, _) => f.TimingVariation,
            static (in f, policy) => f.TimedIntervals >= policy.MinimumTimedIntervals, showsAutomation: true),

        // A flat amount while the account is young: Start 0 and Full 1 give the whole weight for the value 1.
        new(ReasonCode.VoipRegistration, new(0, 1, 10), static (in _, _) => 1,
            static (in f, policy) => f.Network == NetworkKind.Voip && f.AccountAge < policy.NewAccount.VoipSignalFor),

        // Linked entities: their evidence is already gated by policy.Linking, so that links alone never count.
        new(ReasonCode.LinkedToActioned, new(0.2, 0.5, 80), static (in f, _) => f.LinkedActionedShare),
        new(ReasonCode.LinkedRegistrationBurst, new(0.05, 0.2, 80), static (in f, _) => f.LinkedFarmShare),
        new(ReasonCode.CampaignFanout, new(5, 20, 80), static (in f, _) => f.LinkedCampaignSenders),
        // Replies only from accounts on the account's own device or network, while it messages strangers: a ring faking
        // conversation. A family or an office answering one another sends few messages to strangers, so it is not judged.
        new(ReasonCode.ClosedReplyRing, new(0.5, 0.9, 50), static (in f, _) => f.RingReplyShare24h,
            static (in f, policy) => f.RingReplies24h >= policy.Linking.RingMinimumReplies && f.NonContactSent24h >= policy.Linking.RingMinimumStrangerSends),

        // The policy's learned model, when it carries one: its probability that the account is abusive.
        new(ReasonCode.ModelRisk, new(0.5, 0.99, 40), static (in f, policy) => policy.Model?.Probability(f) ?? 0,
            static (in _, policy) => policy.Model is not null),
    ]);

    private static double WeightedFeedback(in Features features, ScoringPolicy policy) =>
        features.CorroboratedFeedback24h + policy.UncorroboratedFeedbackWeight * features.UncorroboratedFeedback24h;

    // An assessment sized for fewer signals than there are would lose contributions: refuse to start instead.
    private static ImmutableArray<Signal> Checked(ImmutableArray<Signal> signals) => signals.Length == Count
        ? signals
        : throw new InvalidOperationException($"{nameof(SignalRegistry)} lists {signals.Length} signals but {nameof(Count)} is {Count}.");
}
