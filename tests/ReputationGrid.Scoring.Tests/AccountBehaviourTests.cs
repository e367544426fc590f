using ReputationGrid.Scoring.Policy;
namespace ReputationGrid.Scoring.Tests;

public sealed class AccountBehaviourTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Three hours of known activity, the last event at T0 + 3 h: per hour 10 attempts, 8 of them delivered (3 to
    /// non-contacts, 6 typed, 1 untyped, 2 forwarded), 2 replies and a contact added; in the last ten minutes 2 groups
    /// created and 12 members added, 5 of them non-contacts; 4 attempts in the last 10 seconds. The third hour's first four
    /// deliveries carry one campaign's fingerprint; deliveries are 5 minutes apart within an hour (gaps
    /// between hours are too long to time); one person messaged and one stranger reported the account at the end.
    /// </summary>
    private static AccountBehaviour KnownActivity() => RecordKnownActivity(new AccountBehaviour());

    private static AccountBehaviour RecordKnownActivity(AccountBehaviour behaviour)
    {
        for (var hour = 0; hour < 3; hour++)
        {
            for (var i = 0; i < 10; i++)
            {
                var at = T0.AddHours(hour).AddMinutes(i * 5);
                behaviour.RecordAttempt(at);
                if (i < 8)
                {
                    bool? typed = i < 6 ? true : i == 6 ? false : null;
                    var fingerprint = hour == 2 && i < 4 ? "campaign" : null;
                    behaviour.RecordDelivery(at, new OutgoingMessage($"person-{i}", RecipientIsContact: i >= 3, IsForward: i < 2, Fingerprint: fingerprint, Typed: typed));
                }
            }

            behaviour.RecordReply(T0.AddHours(hour).AddMinutes(51));
            behaviour.RecordReply(T0.AddHours(hour).AddMinutes(52));
            behaviour.RecordContactAdded(T0.AddHours(hour).AddMinutes(53));
        }

        var end = T0.AddHours(3);
        behaviour.RecordGroupCreated(end.AddMinutes(-9));
        behaviour.RecordGroupCreated(end.AddMinutes(-8));
        behaviour.RecordGroupMembersAdded(end.AddMinutes(-7), 12, 5);
        for (var i = 0; i < 4; i++)
        {
            behaviour.RecordAttempt(end.AddSeconds(-9 + 3 * i));
        }

        behaviour.RecordNegativeFeedback(end.AddMinutes(-1), "person-5");
        behaviour.RecordNegativeFeedback(end.AddMinutes(-1), "stranger");
        return behaviour;
    }

    [Fact]
    public void Measures_what_was_recorded_over_each_window()
    {
        var features = KnownActivity().Measure(T0.AddHours(3), new FeedbackPolicy());

        Assert.Equal(4, features.Attempts15s);
        Assert.Equal(4, features.Attempts1m);
        Assert.Equal(9 + 4, features.Attempts1h); // the hour is the 60 minutes ending with this one: 2:01 to 3:00
        Assert.Equal(34, features.Attempts24h);
        Assert.Equal(24, features.Sent24h);
        Assert.Equal(9, features.NonContactSent24h);
        Assert.Equal(21, features.TypingKnown24h);
        Assert.Equal(3.0 / 21, features.UntypedShare24h, 6);
        Assert.Equal(6, features.Replies24h);
        Assert.Equal(3, features.ContactsAdded24h);
        Assert.Equal(8, features.DistinctRecipients24h);
        Assert.Equal(2, features.GroupsCreated10m);
        Assert.Equal(2, features.GroupsCreated1h);
        Assert.Equal(12, features.GroupMembersAdded1h);
        Assert.Equal(5, features.NonContactGroupMembersAdded1h);
        Assert.Equal(1, features.Forwards1h); // 2:05; the one at 2:00 is before the hour
        Assert.InRange(features.FingerprintFanout1h, 3, 4.1); // four recipients estimated from a 256-bit bitmap, where two of these share a bit
        Assert.Equal(21, features.TimedIntervals);
        Assert.Equal(0, features.TimingVariation); // clockwork
        Assert.Equal(1, features.CorroboratedFeedback24h);
        Assert.Equal(1, features.UncorroboratedFeedback24h);
    }

    [Fact]
    public void Windows_forget_what_left_them_as_time_moves_on_without_events()
    {
        var behaviour = KnownActivity();

        var later = behaviour.Measure(T0.AddHours(3).AddMinutes(30), new FeedbackPolicy());
        Assert.Equal(0, later.Attempts1m);
        Assert.Equal(0, later.GroupsCreated10m);
        Assert.Equal(2, later.GroupsCreated1h);
        Assert.Equal(3 + 4, later.Attempts1h); // from 2:31: those at 2:35, 2:40 and 2:45, and the last four

        // The day is the 24 hours ending with this one: only the third hour's activity is left in it.
        var nextDay = behaviour.Measure(T0.AddHours(25).AddMinutes(30), new FeedbackPolicy());
        Assert.Equal(10 + 4, nextDay.Attempts24h);
        Assert.Equal(8, nextDay.Sent24h);
        Assert.Equal(0, nextDay.GroupsCreated1h);

        var twoDaysOn = behaviour.Measure(T0.AddDays(2).AddHours(4), new FeedbackPolicy());
        Assert.Equal(0, twoDaysOn.Attempts24h);
        Assert.Equal(0, twoDaysOn.Sent24h);
        Assert.Equal(0, twoDaysOn.DistinctRecipients24h);
    }

    [Fact]
    public void Measures_the_same_after_a_round_trip_through_storage()
    {
        var account = new AccountReputation();
        RecordKnownActivity(account.Behaviour);

        var read = AccountReputation.Decode(account.Encode());

        foreach (var at in new[] { T0.AddHours(3), T0.AddHours(3).AddMinutes(30), T0.AddHours(25).AddMinutes(30) })
        {
            Assert.Equal(account.Behaviour.Measure(at, new FeedbackPolicy()), read.Behaviour.Measure(at, new FeedbackPolicy()));
        }

        Assert.Equal(34, read.Behaviour.Measure(T0.AddHours(3), new FeedbackPolicy()).Attempts24h);
    }
}
