namespace ReputationGrid.Scoring.Linking;

/// <summary>
/// When linked accounts count as evidence (configuration section <c>Policy:Linking</c>). Links raise risk only through
/// the behaviour and standing of the linked accounts, never through their number alone.
/// </summary>
public sealed class LinkingPolicy
{
    /// <summary>An account is a stranger sender once it tried to send this many messages in a day (refused ones count)...</summary>
    public int StrangerSenderMinimumSends { get; set; } = 8;

    /// <summary>...and at least this share of them went to non-contacts who did not reply.</summary>
    public double StrangerSenderShare { get; set; } = 0.6;

    /// <summary>The actioned share of an entity counts once at least this many of its accounts are suspended or banned.</summary>
    public int MinimumActioned { get; set; } = 3;

    /// <summary>A device or network is a farm candidate once this many accounts registered on it within a day...</summary>
    public int MinimumRegistrations { get; set; } = 5;

    /// <summary>...and at least this many of its accounts are stranger senders.</summary>
    public int MinimumFarmSenders { get; set; } = 3;

    /// <summary>A fingerprint is a campaign when at least this share of its senders are young stranger senders.</summary>
    public double CampaignSenderShare { get; set; } = 0.5;

    /// <summary>
    /// A device or network tells its accounts who else it links while it lists at least 2 and at most this many accounts
    /// (a closed reply ring is a small set, and a carrier's prefix is too big to be one)...
    /// </summary>
    public int RingMaximumMembers { get; set; } = 64;

    /// <summary>
    /// ...and while registrations on it within the day number at least this share of its listed accounts: a ring registers
    /// together, while a family, an office or a carrier's subscribers joined over years.
    /// </summary>
    public double RingRegisteredShare { get; set; } = 0.5;

    /// <summary>Replies from accounts linked on a device or network count towards a closed reply ring once the day holds this many...</summary>
    public int RingMinimumReplies { get; set; } = 3;

    /// <summary>...and the account sent at least this many messages to non-contacts that day: a family talking among itself is no ring.</summary>
    public int RingMinimumStrangerSends { get; set; } = 3;

    internal IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        Policy.ScoringPolicy.Require(errors, StrangerSenderMinimumSends >= 1, "Policy:Linking:StrangerSenderMinimumSends must be at least 1.");
        Policy.ScoringPolicy.Require(errors, StrangerSenderShare is > 0 and <= 1, "Policy:Linking:StrangerSenderShare must be in (0, 1].");
        Policy.ScoringPolicy.Require(errors, MinimumActioned >= 1, "Policy:Linking:MinimumActioned must be at least 1.");
        Policy.ScoringPolicy.Require(errors, MinimumRegistrations >= 2, "Policy:Linking:MinimumRegistrations must be at least 2.");
        Policy.ScoringPolicy.Require(errors, MinimumFarmSenders >= 2, "Policy:Linking:MinimumFarmSenders must be at least 2.");
        Policy.ScoringPolicy.Require(errors, CampaignSenderShare is > 0 and <= 1, "Policy:Linking:CampaignSenderShare must be in (0, 1].");
        Policy.ScoringPolicy.Require(errors, RingMaximumMembers >= 2, "Policy:Linking:RingMaximumMembers must be at least 2.");
        Policy.ScoringPolicy.Require(errors, RingRegisteredShare is > 0 and <= 1, "Policy:Linking:RingRegisteredShare must be in (0, 1].");
        Policy.ScoringPolicy.Require(errors, RingMinimumReplies >= 1, "Policy:Linking:RingMinimumReplies must be at least 1.");
        Policy.ScoringPolicy.Require(errors, RingMinimumStrangerSends >= 1, "Policy:Linking:RingMinimumStrangerSends must be at least 1.");
        return errors;
    }
}
