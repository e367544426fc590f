using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>People the account started messaging who had time to answer and did not (<c>unanswered_recipients</c>), on event time.</summary>
public sealed class UnansweredRecipientsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _policy = new();

    /// <summary>An account registered a month ago that has sent nothing today.</summary>
    private static AccountReputation Established()
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0.AddDays(-30), NetworkKind.Mobile, false, null, null, null));
        return account;
    }

    /// <summary>What happens at one moment: a send to someone, or a reply from someone.</summary>
    private readonly record struct Step(DateTimeOffset At, string Person, bool Send, bool Contact = true);

    /// <summary>Plays the steps in time order: sends are checked, replies recorded and the account reassessed.</summary>
    private void Play(AccountReputation account, IEnumerable<Step> steps)
    {
        foreach (var step in steps.OrderBy(step => step.At))
        {
            if (step.Send)
            {
                account.CheckSend(step.At, new OutgoingMessage(step.Person, step.Contact, Typed: true), _policy, out _);
            }
            else
            {
                account.RecordReply(step.At, step.Person);
                account.Reassess(step.At, _policy);
            }
        }
    }

    /// <summary>A message to a contact every 10 minutes for two hours after <paramref name="from"/>: the account carries on with its day.</summary>
    private static IEnumerable<Step> CarriesOn(DateTimeOffset from) =>
        Enumerable.Range(1, 12).Select(i => new Step(from.AddMinutes(10 * i + 3 * (i % 3)), $"friend-{i % 3}", Send: true));

    [Fact]
    public void First_contacts_count_once_their_message_is_old_enough_to_answer_and_for_two_hours()
    {
        var behaviour = new AccountBehaviour();
        for (var i = 0; i < 6; i++)
        {
            behaviour.RecordAttempt(T0.AddMinutes(i));
            behaviour.RecordDelivery(T0.AddMinutes(i), new OutgoingMessage($"person-{i}", RecipientIsContact: i % 2 == 0));
        }

        // A second message to a person already messaged today, and a forward, start no conversation.
        behaviour.RecordDelivery(T0.AddMinutes(6), new OutgoingMessage("person-1", false));
        behaviour.RecordDelivery(T0.AddMinutes(7), new OutgoingMessage("meme-friend", true, IsForward: true));
        behaviour.RecordReply(T0.AddMinutes(8), "person-2");

        Assert.Equal(0, behaviour.Measure(T0.AddMinutes(10), new FeedbackPolicy()).AnswerableFirstContacts2h);
        var answerable = behaviour.Measure(T0.AddMinutes(25), new FeedbackPolicy());
        Assert.Equal(6, answerable.AnswerableFirstContacts2h);
        Assert.Equal(1 - 1 / 6.0, answerable.UnansweredFirstContactShare, 9);
        Assert.Equal(0, behaviour.Measure(T0.AddHours(2).AddMinutes(10), new FeedbackPolicy()).AnswerableFirstContacts2h);
    }

    [Fact]
    public void A_slow_list_of_uploaded_contacts_nobody_answers_is_throttled_before_any_report_and_suspended_within_two_hours()
    {
        // A bought list, seven in ten uploaded as contacts, one new person every 8 minutes; nobody answers or reports.
        var account = Established();
        Play(account, Enumerable.Range(0, 40).Select(i => new Step(T0.AddMinutes(8 * i), $"listed-{i}", Send: true, Contact: i % 10 < 7)));

        var throttled = account.Enforcement.History.First(entry => entry.Action == EnforcementAction.Throttle);
        var challenged = account.Enforcement.History.First(entry => entry.Action == EnforcementAction.Challenge);
        var suspended = account.Enforcement.History.First(entry => entry.Action == EnforcementAction.Suspend);
        Assert.Equal(ReasonCode.UnansweredRecipients, throttled.Reasons[0]);
        var enough = _policy.MinimumAnswerableFirstContacts - 1; // the last of them, 15 to 20 minutes and one more message later
        Assert.InRange(throttled.At - T0, TimeSpan.FromMinutes(8 * enough + 15), TimeSpan.FromMinutes(8 * enough + 20 + 8));
        // Trying on against people who ignore it presses as soon as trying on against reports does.
        Assert.Equal(ReasonCode.PersistentThrottling, challenged.Reasons[0]);
        Assert.InRange(challenged.At - throttled.At, _policy.Escalation.RefusedWhileReportedFor, _policy.Escalation.RefusedWhileReportedFor + TimeSpan.FromMinutes(8));
        Assert.True(suspended.At - T0 <= TimeSpan.FromHours(2), $"suspended at {suspended.At - T0} after the first message");
        var features = account.Behaviour.Measure(suspended.At, _policy.Feedback);
        Assert.Equal((0, 0), (features.CorroboratedFeedback24h, features.UncorroboratedFeedback24h));
    }

    [Fact]
    public void A_teacher_messaging_a_class_once_is_not_actioned()
    {
        // First thing in the morning, thirty parents (a few of them saved), a minute or two apart; two in three answer
        // within 5 to 30 minutes, the rest never do.
        var account = Established();
        var parents = Enumerable.Range(0, 30).ToArray();
        DateTimeOffset Sent(int parent) => T0.AddSeconds(90 * parent + 40 * (parent % 2));
        var sends = parents.Select(i => new Step(Sent(i), $"parent-{i}", Send: true, Contact: i % 4 == 0));
        var replies = parents.Where(i => i % 3 != 2).Select(i => new Step(Sent(i).AddMinutes(5 + 7 * i % 25), $"parent-{i}", Send: false));

        Play(account, sends.Concat(replies).Concat(CarriesOn(T0.AddMinutes(45))));

        Assert.Empty(account.Enforcement.History);
    }

    [Fact]
    public void Messaging_a_group_of_contacts_once_is_not_actioned_though_half_of_them_never_answer()
    {
        // An invitation to twelve contacts a minute apart; half answer, the slowest an hour later.
        var account = Established();
        var friends = Enumerable.Range(0, 12).ToArray();
        var sends = friends.Select(i => new Step(T0.AddSeconds(60 * i + 30 * (i % 2)), $"friend-{i}", Send: true));
        var replies = friends.Where(i => i % 2 == 0).Select(i => new Step(T0.AddMinutes(i + 3 + 9 * i % 60), $"friend-{i}", Send: false));

        Play(account, sends.Concat(replies).Concat(CarriesOn(T0.AddMinutes(15))));

        Assert.Empty(account.Enforcement.History);
    }

    [Fact]
    public void Someone_holding_conversations_is_not_judged_while_the_people_it_writes_to_have_not_answered()
    {
        // Seven friends, written to again and again over 40 minutes, none of whom has answered yet.
        var account = Established();
        Play(account, Enumerable.Range(0, 40).Select(i => new Step(T0.AddMinutes(i).AddSeconds(20 * (i % 3)), $"friend-{i % 7}", Send: true)));

        var features = account.Review(T0.AddMinutes(40), _policy).Features;
        Assert.True(features.AnswerableFirstContacts2h >= _policy.MinimumAnswerableFirstContacts);
        Assert.Equal(1, features.UnansweredFirstContactShare);
        Assert.False(SignalRegistry.All.Single(signal => signal.Code == ReasonCode.UnansweredRecipients).IsJudged(features, _policy));
        Assert.Empty(account.Enforcement.History);
    }

    [Fact]
    public void A_business_is_not_judged_on_the_people_who_do_not_answer_its_notices()
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0.AddDays(-30), NetworkKind.Mobile, true, null, null, null));
        Play(account, Enumerable.Range(0, 20).Select(i => new Step(T0.AddMinutes(8 * i), $"customer-{i}", Send: true)));

        var features = account.Review(T0.AddMinutes(160), _policy).Features;
        Assert.True(features.AnswerableFirstContacts2h >= _policy.MinimumAnswerableFirstContacts);
        Assert.False(SignalRegistry.All.Single(signal => signal.Code == ReasonCode.UnansweredRecipients).IsJudged(features, _policy));
        Assert.Empty(account.Enforcement.History);
    }
}
