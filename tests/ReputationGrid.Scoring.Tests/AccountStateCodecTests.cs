using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

public sealed class AccountStateCodecTests
{
    /// <summary>A state of every format ever stored, as the version that wrote it stored it, and the events behind it.</summary>
    private static readonly Dictionary<StateFormat, (string Encoded, Func<AccountReputation> Replay, DateTimeOffset At)> Fixtures = new()
    {
        [StateFormat.SharedMinuteRing] = (FormatOneFixture.Encoded, FormatOneFixture.Account, FormatOneFixture.T0.AddMinutes(58)),
        [StateFormat.GroupRing] = (FormatTwoFixture.Encoded, FormatTwoFixture.Account, FormatTwoFixture.T0.AddMinutes(55)),
        [StateFormat.ChallengeOutcomes] = (FormatThreeFixture.Encoded, FormatThreeFixture.Account, FormatThreeFixture.T0.AddMinutes(55)),
        [StateFormat.DistinctReporters] = (FormatFiveFixture.Encoded, FormatFiveFixture.Account, FormatFiveFixture.T0.AddMinutes(55)),
        [StateFormat.BusinessTrack] = (FormatSixFixture.Encoded, FormatSixFixture.Account, FormatSixFixture.T0.AddMinutes(55)),
        [StateFormat.RingReplies] = (FormatSevenFixture.Encoded, FormatSevenFixture.Account, FormatSevenFixture.T0.AddMinutes(55)),
        [StateFormat.FirstContacts] = (FormatEightFixture.Encoded, FormatEightFixture.Account, FormatEightFixture.T0.AddMinutes(55)),
    };

    /// <summary>The commands stored as an override; setting a tier is kept in the business part instead.</summary>
    private static readonly OperatorCommand[] Overrides = [.. Enum.GetValues<OperatorCommand>().Where(command => command != OperatorCommand.SetTier)];

    private readonly ScoringPolicy _policy = new();

    public static TheoryData<StateFormat> ReadableFormats => new(AccountStateCodec.Readable);

    [Fact]
    public void The_current_format_is_the_newest_readable_one()
    {
        Assert.Equal(AccountStateCodec.Current, AccountStateCodec.Readable[^1]);
        Assert.Equal(AccountStateCodec.Readable.Order(), AccountStateCodec.Readable);
        Assert.Equal((byte)AccountStateCodec.Current, AccountStateCodec.Encode(new AccountReputation())[0]);
    }

    [Theory]
    [MemberData(nameof(ReadableFormats))]
    public void A_state_of_every_stored_format_reads_back_and_rewrites_in_the_current_format(StateFormat format)
    {
        var (encoded, replay, at) = Fixtures[format];
        var stored = Convert.FromBase64String(encoded);
        Assert.Equal((byte)format, stored[0]);

        var read = AccountStateCodec.Decode(stored);
        var rewritten = AccountStateCodec.Encode(read);
        var reread = AccountStateCodec.Decode(rewritten);

        Assert.Equal((byte)AccountStateCodec.Current, rewritten[0]);
        Assert.Equal(rewritten, AccountStateCodec.Encode(reread));
        if (format == AccountStateCodec.Current)
        {
            Assert.Equal(stored, rewritten);
        }

        // Formats before 8 kept no first contacts: the replay has them, the stored state starts with none.
        var withFirstContacts = format >= StateFormat.FirstContacts;
        var replayed = replay();
        var replayedFeatures = replayed.Behaviour.Measure(at, new FeedbackPolicy());
        replayedFeatures = withFirstContacts ? replayedFeatures : replayedFeatures with { AnswerableFirstContacts2h = 0, UnansweredFirstContactShare = 0 };
        Assert.Equal(replayed.Behaviour.Registration, read.Behaviour.Registration);
        Assert.Equal(replayedFeatures, read.Behaviour.Measure(at, new FeedbackPolicy()));
        Assert.Equal(replayedFeatures, reread.Behaviour.Measure(at, new FeedbackPolicy()));
        var policy = withFirstContacts ? _policy : TestPolicies.WithoutUnansweredRecipients();
        var message = new OutgoingMessage("member-1", true, Typed: true);
        var replayedDecision = replayed.CheckSend(at, message, policy, out _);
        var storedDecision = reread.CheckSend(at, message, policy, out _);
        Assert.Equal(replayedDecision with { Reasons = [] }, storedDecision with { Reasons = [] });
        Assert.Equal(replayedDecision.Reasons, storedDecision.Reasons);
    }

    [Fact]
    public void Format_1_moves_the_group_counters_out_of_the_minute_ring()
    {
        var features = AccountStateCodec.Decode(Convert.FromBase64String(FormatOneFixture.Encoded)).Behaviour.Measure(FormatOneFixture.T0.AddMinutes(58), new FeedbackPolicy());

        Assert.Equal(2, features.GroupsCreated1h);
        Assert.Equal(37, features.GroupMembersAdded1h);
        Assert.Equal(5, features.NonContactGroupMembersAdded1h);
        Assert.Equal(3, features.Forwards1h);
    }

    [Fact]
    public void Format_2_holds_the_whole_enforcement_state()
    {
        var t0 = FormatTwoFixture.T0;
        var enforcement = AccountStateCodec.Decode(Convert.FromBase64String(FormatTwoFixture.Encoded)).Enforcement;

        Assert.Equal(20, enforcement.Score);
        Assert.Equal(t0.AddMinutes(45), enforcement.ScoreAt);
        Assert.Equal(EnforcementAction.Suspend, enforcement.AutomaticAction);
        Assert.Equal([ReasonCode.FingerprintFanout, ReasonCode.UnansweredStrangers], enforcement.AutomaticReasons);
        Assert.Equal(t0.AddMinutes(45), enforcement.AutomaticSince);
        Assert.Equal(t0.AddMinutes(45).AddDays(1), enforcement.SuspendedUntil);
        Assert.Equal(new OperatorOverride(OperatorCommand.Suspend, t0.AddMinutes(50), "ops:ana", "checking the campaign", t0.AddDays(2)), enforcement.Override);
        Assert.Equal(
            [(EnforcementAction.Suspend, "policy:2026-11-23.1", (string?)null), (EnforcementAction.Suspend, "ops:ana", "checking the campaign")],
            enforcement.History.Select(entry => (entry.Action, entry.By, entry.Note)));
    }

    [Fact]
    public void Format_3_holds_the_answers_to_challenges_and_older_formats_have_none()
    {
        var at = FormatThreeFixture.T0.AddMinutes(55);
        var answered = AccountStateCodec.Decode(Convert.FromBase64String(FormatThreeFixture.Encoded)).Behaviour.Measure(at, new FeedbackPolicy());
        var older = AccountStateCodec.Decode(Convert.FromBase64String(FormatTwoFixture.Encoded)).Behaviour.Measure(at, new FeedbackPolicy());

        Assert.Equal(FormatThreeFixture.T0.AddMinutes(46), answered.ChallengePassedAt);
        Assert.Equal(FormatThreeFixture.T0.AddMinutes(47), answered.ChallengeFailedAt);
        Assert.Null(older.ChallengePassedAt);
        Assert.Null(older.ChallengeFailedAt);
    }

    [Fact]
    public void Format_6_holds_the_business_part_and_a_personal_account_has_none()
    {
        var at = FormatSixFixture.T0.AddMinutes(55);
        var business = AccountStateCodec.Decode(Convert.FromBase64String(FormatSixFixture.Encoded));
        var review = business.Review(at, _policy).Business!;

        Assert.Equal((3, 10_000, 12L, BusinessAccounts.VerificationLevel.Basic), (review.Tier, review.Limit, review.UsedIn24h, review.Verification));
        Assert.Equal((13.0, 1.0, 1.0), (review.Quality.Reached, review.Quality.Blocks, review.Quality.OptOuts));
        Assert.Contains(business.Enforcement.History, entry => entry.By == "ops:ana" && entry.Reasons is [ReasonCode.OperatorSetTier]);

        var personal = AccountStateCodec.Decode(Convert.FromBase64String(FormatThreeFixture.Encoded));
        Assert.Null(personal.Behaviour.Business);
    }

    [Fact]
    public void Format_7_holds_the_replies_from_linked_accounts_and_older_formats_have_none()
    {
        var at = FormatSevenFixture.T0.AddMinutes(55);
        var ring = AccountStateCodec.Decode(Convert.FromBase64String(FormatSevenFixture.Encoded)).Behaviour.Measure(at, new FeedbackPolicy());
        var older = AccountStateCodec.Decode(Convert.FromBase64String(FormatSixFixture.Encoded)).Behaviour.Measure(at, new FeedbackPolicy());

        Assert.Equal(2, ring.RingReplies24h);
        Assert.Equal(older.Replies24h, ring.Replies24h);
        Assert.Equal(0, older.RingReplies24h);
    }

    [Fact]
    public void Format_8_holds_the_people_first_messaged_in_the_last_two_hours_and_older_formats_have_none()
    {
        // Twenty minutes on, the messages of format 7's last minutes and of format 8's newcomers are old enough to be answered.
        var at = FormatEightFixture.T0.AddMinutes(75);
        var current = AccountStateCodec.Decode(Convert.FromBase64String(FormatEightFixture.Encoded)).Behaviour.Measure(at, new FeedbackPolicy());
        var replayed = FormatSevenFixture.Account().Behaviour.Measure(at, new FeedbackPolicy());
        var older = AccountStateCodec.Decode(Convert.FromBase64String(FormatSevenFixture.Encoded)).Behaviour.Measure(at, new FeedbackPolicy());

        Assert.Equal(replayed.AnswerableFirstContacts2h + 2, current.AnswerableFirstContacts2h);
        Assert.True(replayed.AnswerableFirstContacts2h > 0);
        Assert.Equal(0, older.AnswerableFirstContacts2h);
        Assert.Equal(0, older.UnansweredFirstContactShare);
        Assert.Equal(older.DistinctRecipients24h, replayed.DistinctRecipients24h);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(255)]
    public void A_state_of_an_unknown_format_is_refused(byte version)
    {
        var state = Convert.FromBase64String(FormatTwoFixture.Encoded);
        state[0] = version;

        var refused = Assert.Throws<InvalidDataException>(() => AccountStateCodec.Decode(state));
        Assert.Contains($"format {version} is not known", refused.Message);
    }

    [Fact]
    public void Format_5_holds_reporters_their_standing_busy_recipients_and_reregistrations_and_older_formats_read_into_them()
    {
        var at = FormatFiveFixture.T0.AddMinutes(55);
        var read = AccountStateCodec.Decode(Convert.FromBase64String(FormatFiveFixture.Encoded));
        Assert.Equal(1, read.Behaviour.Reregistrations);
        Assert.Equal(FormatFiveFixture.T0.AddMinutes(47), read.Behaviour.LastReregisteredAt);
        Assert.Equal(FormatFiveFixture.T0.AddHours(-3), read.Behaviour.Registration!.At);
        Assert.Equal("device-8", read.Behaviour.Registration.DeviceId);
        var features = read.Behaviour.Measure(at, _policy.Feedback);
        Assert.True(features.AccountAgeHours > 3.9);

        // A format-3 state kept its reporters without standing: each counts once, as established.
        var older = AccountStateCodec.Decode(Convert.FromBase64String(FormatThreeFixture.Encoded));
        Assert.Equal(0, older.Behaviour.Reregistrations);
        Assert.Null(older.Behaviour.LastReregisteredAt);
        var olderFeatures = older.Behaviour.Measure(at, _policy.Feedback);
        Assert.Equal((1.0, 1.0), (olderFeatures.CorroboratedFeedback24h, olderFeatures.UncorroboratedFeedback24h));
    }

    [Theory]
    [MemberData(nameof(ReadableFormats))]
    public void A_truncated_state_is_refused_wherever_it_ends(StateFormat format)
    {
        var state = Convert.FromBase64String(Fixtures[format].Encoded);
        for (var length = 1; length < state.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => AccountStateCodec.Decode(state.AsSpan(0, length)));
        }
    }

    [Fact]
    public void A_state_with_bytes_after_its_end_is_refused()
    {
        byte[] state = [.. Convert.FromBase64String(FormatTwoFixture.Encoded), 0];
        Assert.Throws<InvalidDataException>(() => AccountStateCodec.Decode(state));
    }

    [Fact]
    public void Actions_and_commands_keep_the_codes_states_were_stored_with()
    {
        // These bytes are in stored states: a failure here means existing states would be read wrongly.
        Assert.Equal(
            [(EnforcementAction.Allow, 0), (EnforcementAction.Throttle, 1), (EnforcementAction.Challenge, 2), (EnforcementAction.Suspend, 3), (EnforcementAction.Ban, 4)],
            Enum.GetValues<EnforcementAction>().Select(action => (action, (int)AccountStateCodec.CodeOf(action))));
        Assert.Equal(
            [(OperatorCommand.Ban, 1), (OperatorCommand.Suspend, 2), (OperatorCommand.Clear, 3), (OperatorCommand.Allowlist, 4)],
            Overrides.Select(command => (command, (int)AccountStateCodec.CodeOf(command))));
        Assert.All(Enum.GetValues<EnforcementAction>(), action => Assert.Equal(action, AccountStateCodec.ActionOf(AccountStateCodec.CodeOf(action))));
        Assert.All(Overrides, command => Assert.Equal(command, AccountStateCodec.CommandOf(AccountStateCodec.CodeOf(command))));
        Assert.Throws<ArgumentOutOfRangeException>(() => AccountStateCodec.CodeOf(OperatorCommand.SetTier));
    }

    [Fact]
    public void An_unknown_action_or_command_code_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => AccountStateCodec.ActionOf(5));
        Assert.Throws<InvalidDataException>(() => AccountStateCodec.CommandOf(0));
        Assert.Throws<InvalidDataException>(() => AccountStateCodec.CommandOf(5));
    }
}
