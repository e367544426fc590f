namespace ReputationGrid.Scoring;

/// <summary>
/// Machine-readable reasons for an enforcement action. The numeric values are persisted: append new
/// codes, never renumber. <see cref="ReasonCodes.Name"/> gives the stable wire name.
/// </summary>
public enum ReasonCode : byte
{
    SendRate15s = 1,
    SendRate1m = 2,
    SendRate1h = 3,
    SendRate24h = 4,
    UnansweredStrangerShare = 5,
    UnansweredStrangers = 6,
    GroupCreation = 7,
    GroupMembersAdded = 8,
    NonContactGroupAdds = 9,
    NegativeFeedbackRatio = 10,
    NegativeFeedbackCount = 11,
    FingerprintFanout = 12,
    ForwardFanout = 13,
    NoTyping = 14,
    ClockworkTiming = 15,
    VoipRegistration = 16,
    NewAccountBurst = 17,
    RepeatOffender = 18,
    OperatorBan = 19,
    OperatorSuspend = 20,
    OperatorAllowlist = 21,
    OperatorClear = 22,
    ScoreRecovered = 23,
    LinkedToActioned = 24,
    LinkedRegistrationBurst = 25,
    CampaignFanout = 26,
    PersistentThrottling = 27,
    ChallengeFailed = 28,
    ChallengeUnanswered = 29,
    ReportedWhileIgnored = 30,
    ChallengeRepeated = 31,
    BusinessTierLimit = 32,
    QualityLow = 33,
    QualityMedium = 34,
    QualityHigh = 35,
    BusinessTierUpgraded = 36,
    BusinessVerified = 37,
    OperatorSetTier = 38,
    ModelRisk = 39,
    ClosedReplyRing = 40,
    UnansweredRecipients = 41,
}

public static class ReasonCodes
{
    private static readonly string[] Names = BuildNames();

    /// <summary>
    /// The business track's own reasons: a tier's limit, a quality rating, a tier change. They hold a business to its
    /// limit or record its standing on the track, and are never a judgement of abuse.
    /// </summary>
    public static bool IsBusinessTrack(ReasonCode code) => code is ReasonCode.BusinessTierLimit or ReasonCode.QualityLow
        or ReasonCode.QualityMedium or ReasonCode.QualityHigh or ReasonCode.BusinessTierUpgraded or ReasonCode.BusinessVerified
        or ReasonCode.OperatorSetTier;

    /// <summary>The snake_case name used on the wire, e.g. <c>new_account_burst</c>.</summary>
    public static string Name(ReasonCode code) => (int)code < Names.Length && Names[(int)code] is { } name
        ? name
        : throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown reason code.");

    private static string[] BuildNames()
    {
        var codes = Enum.GetValues<ReasonCode>();
        var names = new string[codes.Max(c => (int)c) + 1];
        foreach (var code in codes)
        {
            names[(int)code] = SnakeCase(code.ToString());
        }

        return names;
    }

    private static string SnakeCase(string pascal)
    {
        var builder = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            var startsWord = char.IsUpper(c) || (char.IsDigit(c) && i > 0 && !char.IsDigit(pascal[i - 1]));
            if (i > 0 && startsWord)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
