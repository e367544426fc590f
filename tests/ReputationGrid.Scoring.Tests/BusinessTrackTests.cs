using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>Tiers, the rolling-day limit and the quality rating of business accounts, on event time.</summary>
public sealed class BusinessTrackTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _policy = new();

    private static AccountReputation Business(DateTimeOffset registered)
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(registered, NetworkKind.Landline, true, "44", null, null));
        return account;
    }

    private static OutgoingMessage Opening(string person) => new(person, false, Typed: false, Conversation: ConversationKind.BusinessInitiated);

    /// <summary>Opens conversations with <paramref name="count"/> opted-in customers, one every <paramref name="gap"/>.</summary>
    private DateTimeOffset OpenToOptedIn(AccountReputation account, string prefix, int count, DateTimeOffset from, TimeSpan gap)
    {
        var at = from;
        for (var i = 0; i < count; i++)
        {
            at = from + gap * i;
            account.Behaviour.RecordConsent(at, $"{prefix}-{i}", Consent.OptedIn);
            var decision = account.CheckSend(at, Opening($"{prefix}-{i}"), _policy, out _);
            Assert.True(decision.Action == EnforcementAction.Allow, $"{i}: {decision.Action} {string.Join(",", decision.Reasons)}");
        }

        return at;
    }

    [Fact]
    public void An_unverified_business_opens_250_conversations_a_day_and_the_next_new_one_waits_for_a_slot()
    {
        var account = Business(T0.AddDays(-30));
        var last = OpenToOptedIn(account, "customer", 250, T0, TimeSpan.FromSeconds(20)); // 250 in 83 minutes

        var refused = account.CheckSend(last.AddMinutes(1), Opening("customer-250"), _policy, out _);

        Assert.Equal(EnforcementAction.Throttle, refused.Action);
        Assert.Equal([ReasonCode.BusinessTierLimit], refused.Reasons);
        // The first conversations were opened in the hour from T0: they leave the rolling day at T0 + 24 h.
        Assert.Equal((int)(T0.AddHours(24) - last.AddMinutes(1)).TotalSeconds, refused.RetryAfterSeconds);
        Assert.Equal(250, account.Review(last.AddMinutes(1), _policy).Business!.UsedIn24h);

        // A conversation already open takes no new slot.
        Assert.Equal(EnforcementAction.Allow, account.CheckSend(last.AddMinutes(2), Opening("customer-7"), _policy, out _).Action);

        // The slot frees when the first hour leaves the rolling day.
        Assert.Equal(EnforcementAction.Throttle, account.CheckSend(T0.AddHours(24).AddSeconds(-1), Opening("customer-250"), _policy, out _).Action);
        Assert.Equal(EnforcementAction.Allow, account.CheckSend(T0.AddHours(24), Opening("customer-250"), _policy, out _).Action);
    }

    [Fact]
    public void A_business_held_at_its_limit_for_hours_is_never_escalated_for_it()
    {
        var account = Business(T0.AddDays(-30));
        var at = OpenToOptedIn(account, "customer", 250, T0, TimeSpan.FromSeconds(5));
        for (var i = 0; i < 240; i++)
        {
            at = at.AddSeconds(30);
            account.Behaviour.RecordConsent(at, $"late-{i}", Consent.OptedIn);
            var decision = account.CheckSend(at, Opening($"late-{i}"), _policy, out _);
            Assert.Equal((EnforcementAction.Throttle, ReasonCode.BusinessTierLimit), (decision.Action, decision.Reasons[0]));
        }

        var review = account.Review(at, _policy);
        Assert.Equal(EnforcementAction.Allow, review.Decision.Action);
        Assert.Equal(0, review.Features.RefusalsInRun);
    }

    [Fact]
    public void A_block_on_a_notice_nobody_answers_is_for_the_quality_rating_not_a_signal_of_ignored_messages()
    {
        var business = Business(T0.AddDays(-30));
        var person = new AccountReputation();
        person.Behaviour.RecordRegistration(new Registration(T0.AddDays(-30), NetworkKind.Mobile, false, "44", null, null));
        var at = OpenToOptedIn(business, "customer", 20, T0, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 20; i++)
        {
            person.CheckSend(T0.AddMinutes(i), new OutgoingMessage($"customer-{i}", false, Typed: true), _policy, out _);
        }

        business.Behaviour.RecordNegativeFeedback(at, "customer-3", kind: NegativeFeedbackKind.Block);
        person.Behaviour.RecordNegativeFeedback(at, "customer-3", kind: NegativeFeedbackKind.Block);

        Assert.DoesNotContain(ReasonCode.ReportedWhileIgnored, business.Review(at, _policy).Decision.Reasons);
        Assert.Contains(ReasonCode.ReportedWhileIgnored, person.Review(at, _policy).Decision.Reasons);
    }

    [Fact]
    public void A_service_reply_within_a_day_of_the_customers_message_takes_no_slot_and_a_late_one_is_business_initiated()
    {
        var account = Business(T0.AddDays(-30));
        var last = OpenToOptedIn(account, "customer", 250, T0, TimeSpan.FromSeconds(10));
        account.Behaviour.RecordReply(last, from: "asks-a-question");
        var service = new OutgoingMessage("asks-a-question", false, Conversation: ConversationKind.Service);

        Assert.Equal(EnforcementAction.Allow, account.CheckSend(last.AddHours(23), service, _policy, out _).Action);

        var unasked = account.CheckSend(last.AddHours(1), service with { Recipient = "wrote-never" }, _policy, out _);
        Assert.Equal(EnforcementAction.Throttle, unasked.Action);
        Assert.Equal([ReasonCode.BusinessTierLimit], unasked.Reasons);
    }

    [Fact]
    public void Personal_accounts_have_no_tier_and_no_business_part()
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0.AddDays(-300), NetworkKind.Mobile, false, "44", null, null));

        Assert.Null(account.Behaviour.Business);
        Assert.Null(account.Review(T0, _policy).Business);
        account.Behaviour.RecordConsent(T0, "someone", Consent.OptedIn);
        Assert.Null(account.Behaviour.Business);
    }

    [Fact]
    public void Quality_is_negative_feedback_per_recipient_reached_weighted_by_recency()
    {
        var account = Business(T0.AddDays(-30));
        OpenToOptedIn(account, "customer", 100, T0, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 8; i++)
        {
            account.Behaviour.RecordNegativeFeedback(T0.AddHours(1), $"customer-{i}", kind: i % 2 == 0 ? NegativeFeedbackKind.Block : NegativeFeedbackKind.Report);
        }

        var today = account.Review(T0.AddHours(1), _policy).Business!.Quality;
        Assert.Equal((100, 4, 4), (today.Reached, today.Blocks, today.Reports));
        Assert.Equal(0.08, today.Rate, 6);
        Assert.Equal(QualityRating.Low, today.Rating);

        // Four days on (two half-lives) everything counts a quarter: 2 complaints over 25 people, taken over at least 50.
        var later = account.Review(T0.AddDays(4), _policy).Business!.Quality;
        Assert.Equal(25, later.Reached, 6);
        Assert.Equal(0.04, later.Rate, 6);
        Assert.Equal(QualityRating.Medium, later.Rating);

        // Beyond the window nothing is left.
        Assert.Equal(QualityRating.High, account.Review(T0.AddDays(8), _policy).Business!.Quality.Rating);
    }

    [Fact]
    public void A_changed_half_life_reweighs_the_same_feedback_at_the_next_check()
    {
        var account = Business(T0.AddDays(-30));
        OpenToOptedIn(account, "customer", 100, T0, TimeSpan.FromSeconds(30));
        Assert.Equal(25, account.Review(T0.AddDays(4), _policy).Business!.Quality.Reached, 6);

        // The weights are made once per half-life: a policy whose half-life changes must not keep the old ones.
        _policy.Business.QualityHalfLife = TimeSpan.FromDays(4);
        Assert.Equal(50, account.Review(T0.AddDays(4), _policy).Business!.Quality.Reached, 6);
    }

    [Fact]
    public void A_message_to_someone_who_opted_out_weighs_five_complaints_and_an_opt_out_half_of_one()
    {
        var account = Business(T0.AddDays(-30));
        OpenToOptedIn(account, "customer", 100, T0, TimeSpan.FromSeconds(30));
        account.Behaviour.RecordConsent(T0.AddHours(1), "customer-1", Consent.OptedOut);
        account.Behaviour.RecordConsent(T0.AddHours(1), "customer-2", Consent.OptedOut);
        var medium = account.Review(T0.AddHours(1), _policy).Business!.Quality;
        Assert.Equal(0.01, medium.Rate, 6);

        account.CheckSend(T0.AddHours(2), Opening("customer-1"), _policy, out _); // its conversation is still open: no new slot, but ignored the opt-out
        var low = account.Review(T0.AddHours(2), _policy).Business!.Quality;
        Assert.Equal((1.0, 2.0), (low.OptedOutMessages, low.OptOuts));
        Assert.Equal(0.06, low.Rate, 6);
        Assert.Equal(QualityRating.Low, low.Rating);
    }

    [Fact]
    public void Reports_from_people_never_reached_count_as_uncorroborated()
    {
        var account = Business(T0.AddDays(-30));
        OpenToOptedIn(account, "customer", 100, T0, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 8; i++)
        {
            account.Behaviour.RecordNegativeFeedback(T0.AddHours(1), $"brigade-{i}");
        }

        var quality = account.Review(T0.AddHours(1), _policy).Business!.Quality;
        Assert.Equal(8, quality.UncorroboratedFeedback);
        Assert.Equal(0.02, quality.Rate, 6);
        Assert.Equal(QualityRating.Medium, quality.Rating);
    }

    [Fact]
    public void A_business_that_opens_half_its_limit_at_good_quality_moves_up_a_tier_a_day_after_it_first_did()
    {
        var account = Business(T0.AddDays(-30));
        var met = OpenToOptedIn(account, "customer", 125, T0, TimeSpan.FromMinutes(1));
        account.Reassess(met, _policy); // the 125th conversation is counted once it is delivered
        Assert.Equal(met, account.Behaviour.Business!.UpgradeConditionMetAt);
        Assert.Equal(met.AddHours(24), account.Review(met, _policy).Business!.UpgradeAt);

        account.Reassess(met.AddHours(23), _policy);
        Assert.Equal(1, account.Behaviour.Business.Tier);

        var change = account.Reassess(met.AddHours(25), _policy);

        Assert.Equal(2, account.Behaviour.Business.Tier);
        Assert.Equal(EnforcementChange.Standing, change);
        var upgrade = Assert.Single(account.Enforcement.History, entry => entry.Reasons is [ReasonCode.BusinessTierUpgraded]);
        Assert.Equal(met.AddHours(24), upgrade.At);
        Assert.Equal("tier 1 -> 2", upgrade.Note);
        Assert.Equal(1_000, account.Review(met.AddHours(25), _policy).Business!.Limit);
        Assert.Null(account.Behaviour.Business.UpgradeConditionMetAt); // 125 of 1,000 is not half of the new limit
    }

    [Fact]
    public void A_suspended_business_is_not_moved_up_however_well_it_used_its_limit()
    {
        var account = Business(T0.AddDays(-30));
        var met = OpenToOptedIn(account, "customer", 125, T0, TimeSpan.FromMinutes(1));
        account.Reassess(met, _policy);
        account.Enforcement.ApplyOverride(OperatorCommand.Suspend, met, "ops:ana", "checking its lists", met.AddDays(3));

        account.Reassess(met.AddHours(25), _policy);

        Assert.Equal(1, account.Behaviour.Business!.Tier);
        Assert.Null(account.Behaviour.Business.UpgradeConditionMetAt);
    }

    [Fact]
    public void A_business_at_low_quality_is_held_then_moved_down_a_tier_each_day_it_stays_low()
    {
        var account = Business(T0.AddDays(-30));
        account.Behaviour.RecordBusinessVerified(T0, VerificationLevel.Full);
        account.Reassess(T0, _policy);
        Assert.Equal(3, account.Behaviour.Business!.Tier);

        OpenToOptedIn(account, "customer", 100, T0.AddMinutes(1), TimeSpan.FromSeconds(5));
        var lowAt = T0.AddMinutes(20);
        for (var i = 0; i < 10; i++)
        {
            account.Behaviour.RecordNegativeFeedback(lowAt, $"customer-{i}", kind: NegativeFeedbackKind.Block);
        }

        account.Reassess(lowAt, _policy);
        Assert.Equal(QualityRating.Low, account.Behaviour.Business.Quality);
        Assert.Equal(lowAt.AddHours(24), account.Review(lowAt, _policy).Business!.DowngradeAt);

        account.Reassess(lowAt.AddHours(23), _policy);
        Assert.Equal(3, account.Behaviour.Business.Tier);

        account.Reassess(lowAt.AddHours(49), _policy); // two holds have passed: two tiers down, each at the end of its hold
        Assert.Equal(1, account.Behaviour.Business.Tier);
        Assert.Equal(
            [(lowAt.AddHours(24), "tier 3 -> 2"), (lowAt.AddHours(48), "tier 2 -> 1")],
            account.Enforcement.History.Where(entry => entry.Reasons is [ReasonCode.QualityLow] && entry.Note!.StartsWith("tier", StringComparison.Ordinal))
                .Select(entry => (entry.At, entry.Note)));
        Assert.Contains(account.Enforcement.History, entry => entry.Reasons is [ReasonCode.QualityLow] && entry.Note == "quality high -> low");
        Assert.Contains(account.Enforcement.History, entry => entry.Reasons is [ReasonCode.BusinessVerified] && entry.Note == "tier 1 -> 3");

        account.Reassess(lowAt.AddHours(50), _policy); // the verification raised the tier once; it does not undo the downgrades
        Assert.Equal(1, account.Behaviour.Business.Tier);
        Assert.Single(account.Enforcement.History, entry => entry.Reasons is [ReasonCode.BusinessVerified]);
    }

    [Fact]
    public void At_its_limit_a_business_at_low_quality_is_told_both()
    {
        var account = Business(T0.AddDays(-30));
        var last = OpenToOptedIn(account, "customer", 250, T0, TimeSpan.FromSeconds(5));
        for (var i = 0; i < 30; i++)
        {
            account.Behaviour.RecordConsent(last, $"customer-{i}", Consent.OptedOut); // 15 over 250 people: 0.06
        }

        account.Reassess(last, _policy);
        var refused = account.CheckSend(last.AddMinutes(1), Opening("someone-new"), _policy, out _);

        Assert.Equal([ReasonCode.BusinessTierLimit, ReasonCode.QualityLow], refused.Reasons);
    }

    [Fact]
    public void An_operator_sets_the_tier_and_the_history_says_who()
    {
        var account = Business(T0.AddDays(-30));

        account.SetBusinessTier(4, T0, "ops:dana", "enterprise contract");

        Assert.Equal(4, account.Behaviour.Business!.Tier);
        var entry = Assert.Single(account.Enforcement.History);
        Assert.Equal((ReasonCode.OperatorSetTier, "ops:dana", "enterprise contract"), (entry.Reasons[0], entry.By, entry.Note));
        Assert.Equal(100_000, account.Review(T0, _policy).Business!.Limit);
    }

    [Fact]
    public void Messages_to_opted_in_customers_and_service_replies_are_not_messages_to_strangers()
    {
        var business = Business(T0.AddDays(-30));
        var person = new AccountReputation();
        person.Behaviour.RecordRegistration(new Registration(T0.AddDays(-30), NetworkKind.Mobile, false, "44", null, null));
        for (var i = 0; i < 100; i++)
        {
            var at = T0 + TimeSpan.FromSeconds(30 * i);
            business.Behaviour.RecordConsent(at, $"customer-{i}", Consent.OptedIn);
            business.Behaviour.RecordDelivery(at, Opening($"customer-{i}"));
            person.Behaviour.RecordDelivery(at, Opening($"customer-{i}"));
        }

        business.Behaviour.RecordReply(T0.AddHours(1), from: "walk-in");
        business.Behaviour.RecordDelivery(T0.AddHours(1), new OutgoingMessage("walk-in", false, Conversation: ConversationKind.Service));
        business.Behaviour.RecordDelivery(T0.AddHours(1), Opening("bought-list-1"));

        Assert.Equal(1, business.Behaviour.Measure(T0.AddHours(1), new ScoringPolicy().Feedback).NonContactSent24h);
        Assert.Equal(100, person.Behaviour.Measure(T0.AddHours(1), new ScoringPolicy().Feedback).NonContactSent24h);
    }

    [Fact]
    public void The_business_send_check_allocates_nothing()
    {
        var account = Business(T0.AddDays(-30));
        var last = OpenToOptedIn(account, "customer", 200, T0, TimeSpan.FromSeconds(30));
        var at = last;
        var messages = Enumerable.Range(0, 200).Select(i => Opening($"customer-{i}")).ToArray();
        void Traffic(int count)
        {
            for (var i = 0; i < count; i++)
            {
                at = at.AddSeconds(97);
                account.CheckSend(at, messages[i % 200], _policy, out _);
                account.Behaviour.RecordReply(at, messages[i % 200].Recipient);
                account.Reassess(at, _policy);
            }
        }

        Assert.Equal(0, Allocations.InSteadyState(() => Traffic(200)));
    }

    [Fact]
    public void The_people_table_grows_to_its_cap_and_then_drops_people_that_no_longer_matter()
    {
        var table = new RecipientTable();
        var now = EventTime.ToMs(T0);
        for (var i = 0; i < RecipientTable.MaxCapacity; i++)
        {
            ref var entry = ref table.Upsert(IdHash.Of($"person-{i}"), now, 7 * EventTime.Day, out _);
            entry.ReachedMinute = RecipientTable.MinuteOf(now);
        }

        Assert.Equal(RecipientTable.MaxCapacity, table.Capacity);
        Assert.Equal(RecipientTable.MaxCapacity * 3 / 4, table.Count);

        var weekLater = now + 8 * EventTime.Day;
        table.Upsert(IdHash.Of("new-person"), weekLater, 7 * EventTime.Day, out var added);

        Assert.True(added);
        Assert.Equal(1, table.Count);
        table.Find(IdHash.Of("new-person"), out var found);
        Assert.True(found);
    }
}
