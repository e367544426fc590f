using System.Collections.Immutable;

namespace ReputationGrid.Scoring;

/// <summary>Reads one feature's value as a number.</summary>
public delegate double FeatureReading(in Features features);

/// <summary>One feature under the name operators, snapshots and learned models know it by.</summary>
public sealed class NamedFeature(string name, FeatureReading read)
{
    public string Name { get; } = name;

    public FeatureReading Read { get; } = read;
}

/// <summary>
/// Every feature by name: the names the account view shows, feature snapshots store and learned models read.
/// Counts are whole numbers; an account whose registration was never seen has the age -1.
/// </summary>
public static class NamedFeatures
{
    public static ImmutableArray<NamedFeature> All { get; } =
    [
        new("accountAgeHours", static (in f) => f.AccountAgeHours ?? -1),
        new("reregistrations", static (in f) => f.Reregistrations),
        new("business", static (in f) => f.Business ? 1 : 0),
        new("attempts15s", static (in f) => f.Attempts15s),
        new("attempts1m", static (in f) => f.Attempts1m),
        new("attempts1h", static (in f) => f.Attempts1h),
        new("attempts24h", static (in f) => f.Attempts24h),
        new("sent24h", static (in f) => f.Sent24h),
        new("nonContactSent24h", static (in f) => f.NonContactSent24h),
        new("nonContactShare24h", static (in f) => f.NonContactShare24h),
        new("distinctRecipients24h", static (in f) => f.DistinctRecipients24h),
        new("replies24h", static (in f) => f.Replies24h),
        new("replyRatio24h", static (in f) => f.ReplyRatio24h),
        new("unansweredStrangers24h", static (in f) => f.UnansweredStrangers24h),
        new("unansweredStrangerShare24h", static (in f) => f.UnansweredStrangerShare24h),
        new("groupsCreated10m", static (in f) => f.GroupsCreated10m),
        new("groupsCreated1h", static (in f) => f.GroupsCreated1h),
        new("groupMembersAdded1h", static (in f) => f.GroupMembersAdded1h),
        new("nonContactGroupMembersAdded1h", static (in f) => f.NonContactGroupMembersAdded1h),
        new("forwards1h", static (in f) => f.Forwards1h),
        new("fingerprintFanout1h", static (in f) => f.FingerprintFanout1h),
        new("typingKnown24h", static (in f) => f.TypingKnown24h),
        new("untypedShare24h", static (in f) => f.UntypedShare24h),
        new("timingVariation", static (in f) => f.TimingVariation),
        new("timedIntervals", static (in f) => f.TimedIntervals),
        new("corroboratedFeedback24h", static (in f) => f.CorroboratedFeedback24h),
        new("uncorroboratedFeedback24h", static (in f) => f.UncorroboratedFeedback24h),
        new("contactsAdded24h", static (in f) => f.ContactsAdded24h),
        new("linkedActionedShare", static (in f) => f.LinkedActionedShare),
        new("linkedFarmShare", static (in f) => f.LinkedFarmShare),
        new("linkedCampaignSenders", static (in f) => f.LinkedCampaignSenders),
        new("refusalsInRun", static (in f) => f.RefusalsInRun),
        new("refusingForMinutes", static (in f) => f.RefusingForMinutes),
        new("ringReplies24h", static (in f) => f.RingReplies24h),
        new("answerableFirstContacts2h", static (in f) => f.AnswerableFirstContacts2h),
        new("unansweredFirstContactShare", static (in f) => f.UnansweredFirstContactShare),
    ];

    /// <summary>The position of the feature called <paramref name="name"/> in <see cref="All"/>, or -1.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Length; i++)
        {
            if (string.Equals(All[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
