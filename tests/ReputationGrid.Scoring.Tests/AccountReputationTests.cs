using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

public sealed class AccountReputationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _policy = new();

    /// <summary>A three-year-old account's week: 80 messages a day, mostly to contacts, with replies.</summary>
    private AccountReputation TypicalAccount()
    {
        var account = new AccountReputation();
        var random = new Random(11);
        account.Behaviour.RecordRegistration(new Registration(T0.AddYears(-3), NetworkKind.Mobile, false, "44", "81.2.69.0/24", "device-1"));
        for (var day = 0; day < 7; day++)
        {
            for (var i = 0; i < 80; i++)
            {
                var at = T0.AddDays(day).AddMinutes(i * 12 + random.Next(10));
                var contact = random.Next(10) > 0;
                account.CheckSend(at, new OutgoingMessage($"friend-{random.Next(30)}", contact, Typed: true), _policy, out _);
                if (random.Next(3) == 0)
                {
                    account.Behaviour.RecordReply(at.AddMinutes(2));
                }
            }

            account.Behaviour.RecordContactAdded(T0.AddDays(day));
        }

        return account;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_send_check_and_recording_events_allocate_nothing(bool withModel)
    {
        var policy = withModel ? TestModels.PolicyWithModel() : _policy;
        var account = TypicalAccount();
        var at = T0.AddDays(7);
        var message = new OutgoingMessage("friend-1", true, Typed: true);
        void Traffic(int count)
        {
            for (var i = 0; i < count; i++)
            {
                at = at.AddSeconds(97);
                account.CheckSend(at, message, policy, out _);
                account.Behaviour.RecordReply(at);
                account.Reassess(at, policy);
            }
        }

        Assert.Equal(0, Allocations.InSteadyState(() => Traffic(200)));
        Assert.Equal(EnforcementAction.Allow, account.CheckSend(at.AddSeconds(97), message, _policy, out _).Action);
    }

    [Fact]
    public void The_send_check_of_an_account_held_at_a_throttle_for_the_same_reasons_allocates_nothing()
    {
        // A business that sent a hundred messages in the last hour, then several a second to people drawn from a thousand.
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0.AddYears(-2), NetworkKind.Mobile, true, null, null, null));
        var random = new Random(1);
        var messages = Enumerable.Range(0, 2_000).Select(i => new OutgoingMessage($"peer-{i / 2}", i % 2 == 1, Typed: true)).ToArray();
        var at = T0.AddHours(-1);
        for (var i = 0; i < 100; i++)
        {
            at = at.AddSeconds(random.Next(5, 67));
            account.Behaviour.RecordDelivery(at, messages[random.Next(messages.Length)]);
        }

        Decision Check()
        {
            at = at.AddMilliseconds(random.Next(1, 500));
            return account.CheckSend(at, messages[random.Next(messages.Length)], _policy, out _);
        }

        var checks = 0;
        while (Check().Action != EnforcementAction.Throttle && ++checks < 200)
        {
        }

        var held = account.Enforcement.AutomaticReasons;
        void Traffic(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Check();
            }
        }

        Assert.Equal(0, Allocations.InSteadyState(() => Traffic(5)));
        Assert.Equal(EnforcementAction.Throttle, Check().Action);
        Assert.Same(held, account.Enforcement.AutomaticReasons);
    }

    [Fact]
    public void A_flood_within_one_second_saturates_the_counters_and_is_still_banned()
    {
        // Counters are small to keep memory per account down: they must saturate, never wrap to a small count.
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0, NetworkKind.Mobile, false, null, null, null));
        for (var i = 0; i < 300; i++)
        {
            account.Behaviour.RecordAttempt(T0.AddMinutes(5));
        }

        var features = account.Behaviour.Measure(T0.AddMinutes(5), new FeedbackPolicy());
        Assert.Equal(byte.MaxValue, features.Attempts15s);
        Assert.Equal(300, features.Attempts1h);
        var decision = account.CheckSend(T0.AddMinutes(5), new OutgoingMessage("bob", true), _policy, out _);
        Assert.Equal(EnforcementAction.Ban, decision.Action);
        Assert.Contains(ReasonCode.NewAccountBurst, decision.Reasons);
    }

    [Fact]
    public void A_typical_account_stores_in_under_4_KB()
    {
        var account = TypicalAccount();
        var size = account.Encode().Length;
        Assert.True(size < 4096, $"typical account state is {size} bytes");
    }

    [Fact]
    public void A_very_heavy_account_stays_bounded()
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0, NetworkKind.Voip, false, "1", "10.0.0.0/8", "farm-device"));
        var sizes = new List<int>();
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 25_000; i++)
            {
                var at = T0.AddSeconds(round * 25_000 + i);
                var message = new OutgoingMessage($"victim-{round}-{i}", false, $"group-{i % 50}", i % 2 == 0, $"fp-{i % 7}", false);
                account.Behaviour.RecordAttempt(at);
                account.Behaviour.RecordDelivery(at, message);
                account.Behaviour.RecordGroupCreated(at);
                account.Behaviour.RecordGroupMembersAdded(at, 256, 256);
                account.Behaviour.RecordNegativeFeedback(at, $"victim-{round}-{i}");
                account.Reassess(at, _policy);
            }

            sizes.Add(account.Encode().Length);
        }

        Assert.All(sizes, size => Assert.True(size < 8192, $"heavy account state is {size} bytes"));
        Assert.InRange(sizes[^1], sizes[0] - 512, sizes[0] + 512);
    }

    [Fact]
    public void Encoding_round_trips_to_the_same_bytes_and_decisions()
    {
        var account = TypicalAccount();
        account.Enforcement.ApplyOverride(OperatorCommand.Suspend, T0.AddDays(7), "ops:ana", "checking", T0.AddDays(8));
        var encoded = account.Encode();

        var copy = AccountReputation.Decode(encoded);

        Assert.Equal(encoded, copy.Encode());
        var at = T0.AddDays(7).AddHours(1);
        var message = new OutgoingMessage("friend-1", true, Typed: true);
        var original = account.CheckSend(at, message, _policy, out _);
        var restored = copy.CheckSend(at, message, _policy, out _);
        Assert.Equal(original with { Reasons = [] }, restored with { Reasons = [] });
        Assert.Equal(original.Reasons, restored.Reasons);
        Assert.Equal(account.Encode(), copy.Encode());
    }

    [Fact]
    public void Each_encoding_holds_its_own_account_only_whatever_was_encoded_before_it()
    {
        var typical = TypicalAccount();
        var alone = typical.Encode();
        var outsized = new AccountReputation(); // larger than the buffer a thread keeps for encoding
        for (var i = 0; i < EnforcementState.HistoryCapacity; i++)
        {
            outsized.Enforcement.ApplyOverride(OperatorCommand.Ban, T0.AddMinutes(i), "ops:ana", new string('n', 2_000), null);
        }

        var large = outsized.Encode();
        var afterLarge = typical.Encode();
        var empty = new AccountReputation().Encode();

        Assert.True(large.Length > 64 * 1024, $"the outsized state is {large.Length} bytes");
        Assert.Equal(large, AccountReputation.Decode(large).Encode());
        Assert.Equal(alone, afterLarge);
        Assert.True(empty.Length < alone.Length, $"an empty account encodes to {empty.Length} bytes, a typical one to {alone.Length}");
        Assert.Equal(alone, typical.Encode());
    }

    [Fact]
    public void The_same_events_give_the_same_state()
    {
        Assert.Equal(TypicalAccount().Encode(), TypicalAccount().Encode());
    }

    [Fact]
    public void Nothing_stored_decodes_to_a_new_account()
    {
        var account = AccountReputation.Decode([]);
        Assert.False(account.Known);
        Assert.Equal(100, account.Review(T0, _policy).Decision.Score);
    }

    [Fact]
    public void A_refused_attempt_counts_as_an_attempt_but_not_as_a_message()
    {
        var account = new AccountReputation();
        account.Enforcement.ApplyOverride(OperatorCommand.Ban, T0, "ops", "spam", null);

        var decision = account.CheckSend(T0.AddSeconds(1), new OutgoingMessage("x", false), _policy, out _);
        var features = account.Review(T0.AddSeconds(1), _policy).Features;

        Assert.Equal(EnforcementAction.Ban, decision.Action);
        Assert.Equal(1, features.Attempts15s);
        Assert.Equal(0, features.Sent24h);
    }

    [Fact]
    public void Late_events_are_counted_in_their_own_time()
    {
        var account = new AccountReputation();
        account.CheckSend(T0.AddMinutes(30), new OutgoingMessage("a", false), _policy, out _);
        account.Behaviour.RecordGroupCreated(T0.AddMinutes(25)); // arrives late
        account.Behaviour.RecordGroupCreated(T0.AddMinutes(10)); // older than the 10-minute window

        var features = account.Review(T0.AddMinutes(30), _policy).Features;
        Assert.Equal(1, features.GroupsCreated10m);
        Assert.Equal(2, features.GroupsCreated1h);
    }

    [Fact]
    public void Reports_from_people_never_messaged_count_for_less()
    {
        var account = new AccountReputation();
        for (var i = 0; i < 10; i++)
        {
            account.CheckSend(T0.AddMinutes(i), new OutgoingMessage($"r{i}", false), _policy, out _);
        }

        account.Behaviour.RecordNegativeFeedback(T0.AddMinutes(20), "r1");
        account.Behaviour.RecordNegativeFeedback(T0.AddMinutes(21), "r1");
        account.Behaviour.RecordNegativeFeedback(T0.AddMinutes(22), "stranger");

        var features = account.Review(T0.AddMinutes(30), _policy).Features;
        Assert.Equal(1, features.CorroboratedFeedback24h);
        Assert.Equal(1, features.UncorroboratedFeedback24h);
    }
}
