namespace ReputationGrid.Scoring;

/// <summary>
/// The behaviour of one account measured at one moment of event time: everything the risk model reads.
/// Shares are between 0 and 1; counts over a day come from the rolling day (between 12 and 24 hours
/// for distinct-recipient counts, see <see cref="Sketches.RollingDistinct"/>).
/// </summary>
public readonly record struct Features
{
    /// <summary>Hours since registration, or null when the account's registration was never seen.</summary>
    public double? AccountAgeHours { get; init; }

    /// <summary>The account's age, or null when its registration was never seen.</summary>
    public TimeSpan? AccountAge => AccountAgeHours is { } hours ? TimeSpan.FromHours(hours) : null;

    /// <summary>Registrations after the first (a reinstall, a new phone), which never make the account younger.</summary>
    public int Reregistrations { get; init; }

    public bool Business { get; init; }

    public NetworkKind Network { get; init; }

    /// <summary>Send attempts, allowed or not, in the last 15 seconds.</summary>
    public long Attempts15s { get; init; }

    public long Attempts1m { get; init; }

    public long Attempts1h { get; init; }

    public long Attempts24h { get; init; }

    /// <summary>Messages actually sent (attempts that were allowed, and reported sends) in the last day.</summary>
    public long Sent24h { get; init; }

    public long NonContactSent24h { get; init; }

    public double NonContactShare24h { get; init; }

    public double DistinctRecipients24h { get; init; }

    public long Replies24h { get; init; }

    /// <summary>Replies in the last day from accounts linked with this one on a device or network; not in <see cref="Replies24h"/>.</summary>
    public long RingReplies24h { get; init; }

    /// <summary>Share of the day's replies that came from accounts linked on a device or network.</summary>
    public double RingReplyShare24h => RingReplies24h > 0 ? (double)RingReplies24h / (RingReplies24h + Replies24h) : 0;

    /// <summary>Replies per distinct recipient, at most 1: the sign that people want the messages.</summary>
    public double ReplyRatio24h { get; init; }

    /// <summary>Messages to non-contacts that drew no reply: non-contact sends scaled by the missing replies.</summary>
    public double UnansweredStrangers24h { get; init; }

    /// <summary>Share of messages that went to non-contacts who do not reply.</summary>
    public double UnansweredStrangerShare24h { get; init; }

    /// <summary>
    /// Recipients, contacts or not, new to the day whose first message (not a forward) was sent at least 15 to 20 minutes
    /// and at most 2 hours ago: time enough to answer.
    /// </summary>
    public long AnswerableFirstContacts2h { get; init; }

    /// <summary>1 minus the day's replies per <see cref="AnswerableFirstContacts2h"/>, at least 0: how far the people the account just started messaging ignore it.</summary>
    public double UnansweredFirstContactShare { get; init; }

    public long GroupsCreated10m { get; init; }

    public long GroupsCreated1h { get; init; }

    public long GroupMembersAdded1h { get; init; }

    public long NonContactGroupMembersAdded1h { get; init; }

    public long Forwards1h { get; init; }

    /// <summary>Distinct recipients of the most spread content fingerprint in the last hour.</summary>
    public double FingerprintFanout1h { get; init; }

    /// <summary>Sends in the last day whose client said whether typing was shown.</summary>
    public long TypingKnown24h { get; init; }

    /// <summary>Share of those sends with no typing shown first.</summary>
    public double UntypedShare24h { get; init; }

    /// <summary>Coefficient of variation of the gaps between sends; near 0 is clockwork.</summary>
    public double TimingVariation { get; init; }

    public int TimedIntervals { get; init; }

    /// <summary>Distinct people in the last day who reported or blocked the account after being messaged by it.</summary>
    public double CorroboratedFeedback24h { get; init; }

    /// <summary>Distinct people in the last day who reported or blocked the account without a message from it on record.</summary>
    public double UncorroboratedFeedback24h { get; init; }

    public long ContactsAdded24h { get; init; }

    /// <summary>The highest share of suspended or banned accounts among the accounts of an entity this account is linked to.</summary>
    public double LinkedActionedShare { get; init; }

    /// <summary>The highest share of stranger senders on a linked device or network that saw a registration burst.</summary>
    public double LinkedFarmShare { get; init; }

    /// <summary>The most young stranger senders of a content fingerprint this account sent, when they are most of its senders.</summary>
    public double LinkedCampaignSenders { get; init; }

    /// <summary>Send attempts refused since the last delivered message, passed challenge or reply while replies kept up (0 once the account stopped trying for an hour).</summary>
    public int RefusalsInRun { get; init; }

    /// <summary>Minutes from the first to the latest of <see cref="RefusalsInRun"/>.</summary>
    public double RefusingForMinutes { get; init; }

    /// <summary>When the account last passed a challenge, or null.</summary>
    public DateTimeOffset? ChallengePassedAt { get; init; }

    /// <summary>Hours since the account last passed a challenge, or null when it never did.</summary>
    public double? HoursSinceChallengePassed { get; init; }

    /// <summary>When the account last failed a challenge, or null.</summary>
    public DateTimeOffset? ChallengeFailedAt { get; init; }

    /// <summary>The features by name (see <see cref="NamedFeatures"/>), rounded to 3 decimals, as shown to operators.</summary>
    public Dictionary<string, double> ToDictionary()
    {
        var named = new Dictionary<string, double>(NamedFeatures.All.Length, StringComparer.Ordinal);
        foreach (var feature in NamedFeatures.All)
        {
            named[feature.Name] = Round(feature.Read(this));
        }

        return named;
    }

    private static double Round(double value) => Math.Round(value, 3);
}
