using ReputationGrid.Scoring.Linking;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

public sealed class ClosedReplyRingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _policy = new();

    [Fact]
    public void A_small_device_or_network_of_fresh_registrations_tells_its_members_and_no_other_entity_does()
    {
        var device = new EntityReputation(EntityKind.Device);
        device.Report("ring-0", T0, registration: true, LinkedAccountFlags.None);
        Assert.Null(device.Members(_policy.Linking));

        device.Report("ring-1", T0.AddMinutes(1), registration: true, LinkedAccountFlags.None);
        device.Report("ring-2", T0.AddMinutes(2), registration: true, LinkedAccountFlags.None);
        Assert.Equal(new[] { IdHash.Of("ring-0"), IdHash.Of("ring-1"), IdHash.Of("ring-2") }.Order(), device.Members(_policy.Linking));

        var carrier = new EntityReputation(EntityKind.Network);
        var content = new EntityReputation(EntityKind.Content);
        for (var i = 0; i <= _policy.Linking.RingMaximumMembers; i++)
        {
            carrier.Report($"subscriber-{i}", T0.AddSeconds(i), registration: false, LinkedAccountFlags.None);
            content.Report($"sender-{i % 5}", T0.AddSeconds(i), registration: false, LinkedAccountFlags.None);
        }

        Assert.Null(carrier.Members(_policy.Linking));
        Assert.Null(content.Members(_policy.Linking));

        // An office whose staff joined over the years, a few of them today: too few fresh registrations for a ring.
        var office = new EntityReputation(EntityKind.Network);
        for (var i = 0; i < 10; i++)
        {
            office.Report($"staff-{i}", T0.AddMinutes(i), registration: i < 4, LinkedAccountFlags.None);
        }

        Assert.Null(office.Members(_policy.Linking));
    }

    [Fact]
    public void Replies_only_from_the_accounts_on_its_own_device_do_not_count_and_challenge_a_young_account_messaging_strangers()
    {
        var ring = FarmAccount("ring-0");
        var at = Converse(ring, strangers: 4, answeredBy: i => $"ring-{1 + i % 9}");

        var review = ring.Review(at, _policy);
        Assert.Equal((0L, 5L), (review.Features.Replies24h, review.Features.RingReplies24h));
        Assert.Equal(1, review.Features.RingReplyShare24h);
        Assert.Contains(ReasonCode.ClosedReplyRing, review.Decision.Reasons);
        Assert.True(review.Decision.Action.Severity() >= EnforcementAction.Challenge.Severity(), $"{review.Decision.Action} at {review.Decision.Score}");

        // The same conversation answered by people who are not on the device is engagement.
        var answered = FarmAccount("ring-0");
        at = Converse(answered, strangers: 4, answeredBy: i => $"friend-{i}");
        review = answered.Review(at, _policy);
        Assert.Equal((5L, 0L), (review.Features.Replies24h, review.Features.RingReplies24h));
        Assert.DoesNotContain(ReasonCode.ClosedReplyRing, review.Decision.Reasons);
        Assert.Equal(EnforcementAction.Allow, review.Decision.Action);
    }

    [Fact]
    public void A_family_answering_one_another_on_a_shared_tablet_is_not_judged_a_ring()
    {
        var family = FarmAccount("ring-0");
        var at = Converse(family, strangers: _policy.Linking.RingMinimumStrangerSends - 1, answeredBy: i => $"ring-{1 + i % 3}");

        var review = family.Review(at, _policy);
        Assert.Equal(5, review.Features.RingReplies24h);
        Assert.DoesNotContain(ReasonCode.ClosedReplyRing, review.Decision.Reasons);
        Assert.Equal(EnforcementAction.Allow, review.Decision.Action);
    }

    [Fact]
    public void A_ring_reply_does_not_end_a_run_of_refusals_as_a_reply_does()
    {
        var behaviour = new AccountBehaviour();
        behaviour.RecordAttempt(T0);
        behaviour.RecordAttempt(T0.AddMinutes(1));
        behaviour.RecordRingReply(T0.AddMinutes(2));
        Assert.Equal(2, behaviour.Measure(T0.AddMinutes(2), _policy.Feedback).RefusalsInRun);

        behaviour.RecordReply(T0.AddMinutes(3));
        Assert.Equal(0, behaviour.Measure(T0.AddMinutes(3), _policy.Feedback).RefusalsInRun);
    }

    [Fact]
    public void Members_the_entity_no_longer_tells_are_forgotten()
    {
        var account = FarmAccount("ring-0");
        account.UpdateLink(EntityKind.Device, "farm-phone", default, T0.AddMinutes(5), _policy, members: null);
        account.RecordReply(T0.AddMinutes(6), "ring-1");

        Assert.Equal((1L, 0L), (account.Review(T0.AddMinutes(6), _policy).Features.Replies24h, account.Review(T0.AddMinutes(6), _policy).Features.RingReplies24h));
    }

    [Fact]
    public void Checking_sends_and_recording_ring_replies_allocate_nothing()
    {
        var account = FarmAccount("ring-0");
        var at = T0.AddMinutes(10);
        var message = new OutgoingMessage("ring-4", true, Typed: true);
        void Traffic(int count)
        {
            for (var i = 0; i < count; i++)
            {
                at = at.AddSeconds(97);
                account.CheckSend(at, message, _policy, out _);
                account.RecordReply(at, "ring-4");
                account.Reassess(at, _policy);
            }
        }

        Assert.Equal(0, Allocations.InSteadyState(() => Traffic(200)));
    }

    /// <summary>An account registered just now on a device that lists ten accounts, <c>ring-0</c> to <c>ring-9</c>.</summary>
    private AccountReputation FarmAccount(string id)
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0, NetworkKind.Mobile, false, "NL", "198.51.100.0/24", "farm-phone"));
        account.Links.Add(EntityKind.Device, "farm-phone", T0, registration: true);
        var device = new EntityReputation(EntityKind.Device);
        for (var i = 0; i < 10; i++)
        {
            device.Report($"ring-{i}", T0, registration: true, LinkedAccountFlags.None);
        }

        Assert.Contains(IdHash.Of(id), device.Members(_policy.Linking)!);
        account.UpdateLink(EntityKind.Device, "farm-phone", device.Risk(_policy), T0.AddMinutes(1), _policy, device.Members(_policy.Linking));
        return account;
    }

    /// <summary>Five messages to contacts, each answered, and <paramref name="strangers"/> unanswered ones to strangers; returns the time after them.</summary>
    private DateTimeOffset Converse(AccountReputation account, int strangers, Func<int, string> answeredBy)
    {
        var at = T0.AddMinutes(10);
        for (var i = 0; i < 5; i++)
        {
            at = at.AddMinutes(3);
            var partner = answeredBy(i);
            account.CheckSend(at, new OutgoingMessage(partner, true, Typed: true), _policy, out _);
            account.RecordReply(at.AddMinutes(1), partner);
            account.Reassess(at.AddMinutes(1), _policy);
        }

        for (var i = 0; i < strangers; i++)
        {
            at = at.AddMinutes(3);
            account.CheckSend(at, new OutgoingMessage($"stranger-{i}", false, Typed: true), _policy, out _);
        }

        return at;
    }
}
