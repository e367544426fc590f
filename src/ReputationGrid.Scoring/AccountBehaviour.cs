using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Scoring.Sketches;
using ReputationGrid.Scoring.Windows;

namespace ReputationGrid.Scoring;

/// <summary>
/// The rolling behaviour of one account on event time. Every structure is fixed in size or capped,
/// so memory per account is bounded however much the account does, and recording an event allocates
/// nothing once the structures exist.
/// </summary>
public sealed class AccountBehaviour
{
    private const int SecondCount = 64;

    // Channels of the minute rings: the short-horizon signals. Group activity has a ring of its own, which
    // stays unallocated for the many accounts that never create or fill a group.
    private const int MinuteAttempts = 0, MinuteForwards = 1;
    private const int MinuteChannels = 2;
    private const int GroupsCreated = 0, GroupMembersAdded = 1, GroupNonContactMembersAdded = 2;
    private const int GroupChannels = 3;

    // Channels of the hour ring: the day-long signals.
    private const int HourAttempts = 0, HourSent = 1, HourNonContactSent = 2, HourTypingKnown = 3, HourUntyped = 4, HourReplies = 5, HourContactsAdded = 6;
    private const int HourChannels = 7;

    // Count types are the smallest that no policy threshold comes near (counts saturate, they never wrap):
    // 255 attempts in one second, 65,535 of anything in one minute or one hour. Every active account holds
    // these rings, so each byte here is a megabyte at a million accounts.
    // Not readonly: the rings and sketches are mutable structs held inline (see CounterRing).
    private CounterRing<byte> _seconds = new(TimeSpan.FromSeconds(1), SecondCount, 1);
    private CounterRing<ushort> _minutes = new(TimeSpan.FromMinutes(1), 60, MinuteChannels);
    private CounterRing<ushort> _groupMinutes = new(TimeSpan.FromMinutes(1), 60, GroupChannels);
    private CounterRing<ushort> _hours = new(TimeSpan.FromHours(1), 24, HourChannels);

    // Replies from accounts linked on the same device or network: a ring of their own, unallocated for the many
    // accounts that never get one, and never counted as replies.
    private CounterRing<ushort> _ringReplies = new(TimeSpan.FromHours(1), 24, 1);

    // Recipients new to the day, per 5 minutes of their first message, over the last 2 hours. Those first messaged in the
    // latest AnswerBuckets (15 to 20 minutes) may still answer; the others had time to. Two hours, because it is many people
    // messaged within hours that shows a list being worked through, not a few people messaged over a quiet day.
    private static readonly TimeSpan FirstContactBucket = TimeSpan.FromMinutes(5);
    private const int FirstContactBuckets = 24, AnswerBuckets = 4;
    private CounterRing<byte> _firstContacts = new(FirstContactBucket, FirstContactBuckets, 1);
    private RollingDistinct _recipients = new();
    private FeedbackLog _feedback = new();
    private FingerprintFanout _fingerprints = new();
    private IntervalRegularity _intervals = new();

    /// <summary>
    /// The account's registration: when it first registered (the earliest registration seen), with what the latest
    /// registration said of its network, business and place.
    /// </summary>
    public Registration? Registration { get; private set; }

    /// <summary>The business part, allocated only for business accounts: personal accounts pay one null reference for it.</summary>
    public BusinessTrack? Business { get; private set; }

    /// <summary>Registrations after the first (a reinstall, a new phone): they never make the account younger.</summary>
    public int Reregistrations { get; private set; }

    /// <summary>The latest registration's time, when there was more than one.</summary>
    public DateTimeOffset? LastReregisteredAt => _lastReregisteredMs == long.MinValue ? null : EventTime.FromMs(_lastReregisteredMs);

    private long _lastReregisteredMs = long.MinValue;

    /// <summary>The latest event time seen for this account, or null before its first event.</summary>
    public DateTimeOffset? LastEventAt => _lastEventMs == long.MinValue ? null : EventTime.FromMs(_lastEventMs);

    private long _lastEventMs = long.MinValue;

    // The latest answers to a challenge, kept as event times: enforcement compares them with when its challenge began.
    private long _challengePassedMs = long.MinValue;
    private long _challengeFailedMs = long.MinValue;

    // The current run of refused attempts: every attempt opens or extends it and a delivery ends it, so an attempt
    // that was refused stays in it. A passed challenge also ends it (a person starts afresh), and so does a reply while
    // the account's replies keep up with the strangers it leaves unanswered (people are talking with it).
    // An account that stops trying for this long has given up: its next refusal starts a new run.
    private const long RefusalRunBreakMs = 3_600_000;
    private long _refusedSinceMs = long.MinValue;
    private long _lastAttemptMs = long.MinValue;
    private int _refusalsInRun;

    /// <summary>
    /// A registration. The account's age counts from its first registration; a later one (a reinstall, a new phone) is
    /// counted and brings what it says of the account up to date, and an earlier one (a platform onboarding its existing
    /// accounts) makes the account older.
    /// </summary>
    public void RecordRegistration(Registration registration)
    {
        var ms = Touch(EventTime.ToMs(registration.At));
        if (registration.Business)
        {
            MakeBusiness();
        }

        if (Registration is not { } known)
        {
            Registration = registration;
            return;
        }

        Reregistrations = Math.Min(Reregistrations + 1, ushort.MaxValue);
        _lastReregisteredMs = Math.Max(_lastReregisteredMs, Math.Max(ms, EventTime.ToMs(known.At)));
        Registration = registration.At <= known.At
            ? known with { At = registration.At }
            : registration with { At = known.At };
    }

    /// <summary>A send was attempted; it counts towards velocity whether or not it was allowed.</summary>
    public void RecordAttempt(DateTimeOffset at)
    {
        var ms = Touch(at);
        _seconds.Add(ms, 0);
        _minutes.Add(ms, MinuteAttempts);
        _hours.Add(ms, HourAttempts);
        if (_refusalsInRun == 0 || ms - _lastAttemptMs > RefusalRunBreakMs)
        {
            (_refusedSinceMs, _refusalsInRun) = (ms, 0);
        }

        _refusalsInRun = Math.Min(_refusalsInRun + 1, ushort.MaxValue);
        _lastAttemptMs = Math.Max(_lastAttemptMs, ms);
    }

    /// <summary>
    /// The attempt just recorded was refused for something that must not escalate: a business's tier limit (a quota,
    /// not abuse) or reports from people the account never messaged alone (anyone can report anyone). It does not
    /// count towards a run of refusals that would escalate.
    /// </summary>
    public void LeaveOutOfRefusalRun() => _refusalsInRun = Math.Max(0, _refusalsInRun - 1);

    /// <summary>A message was delivered (call <see cref="RecordAttempt"/> for it first).</summary>
    public void RecordDelivery(DateTimeOffset at, in OutgoingMessage message)
    {
        var ms = Touch(at);
        var recipient = IdHash.Of(message.Recipient);
        _refusalsInRun = 0;
        _hours.Add(ms, HourSent);
        // A business's wanted traffic (service replies, people who opted in) is not a message to a stranger.
        var wanted = Business?.RecordDelivery(ms, recipient, message.Conversation) ?? false;
        if (!message.RecipientIsContact && !wanted)
        {
            _hours.Add(ms, HourNonContactSent);
        }

        if (message.Typed is { } typed)
        {
            _hours.Add(ms, HourTypingKnown);
            _hours.Add(ms, HourUntyped, typed ? 0 : 1);
        }

        if (message.IsForward)
        {
            _minutes.Add(ms, MinuteForwards);
        }

        if (message.Fingerprint is not null)
        {
            _fingerprints.Add(ms, IdHash.Of(message.Fingerprint), recipient);
        }

        // A forward passes on what people share; whether anyone answers it says little about whether they wanted it.
        if (_recipients.Add(ms, recipient) && !message.IsForward)
        {
            _firstContacts.Add(ms, 0);
        }

        _intervals.Add(ms);
    }

    public void RecordGroupCreated(DateTimeOffset at) => _groupMinutes.Add(Touch(at), GroupsCreated);

    public void RecordGroupMembersAdded(DateTimeOffset at, int count, int nonContacts)
    {
        var ms = Touch(at);
        _groupMinutes.Add(ms, GroupMembersAdded, count);
        _groupMinutes.Add(ms, GroupNonContactMembersAdded, nonContacts);
    }

    /// <summary>
    /// A report or a block: negative feedback, weighed by whether the person had been messaged and by their standing. A
    /// suspended or banned person's feedback does not count against a business's quality, so a farm cannot sink it.
    /// </summary>
    public void RecordNegativeFeedback(
        DateTimeOffset at, string person, ReporterStanding standing = ReporterStanding.Established, NegativeFeedbackKind kind = NegativeFeedbackKind.Report)
    {
        var ms = Touch(at);
        var hash = IdHash.Of(person);
        if ((standing & ReporterStanding.Actioned) == 0)
        {
            Business?.RecordNegativeFeedback(ms, hash, kind);
        }

        _feedback.Add(ms, hash, _recipients.Contains(hash), standing);
    }

    /// <summary>The person re-verified when challenged (a captcha, an SMS code).</summary>
    public void RecordChallengePassed(DateTimeOffset at)
    {
        _challengePassedMs = Math.Max(_challengePassedMs, Touch(at));
        _refusalsInRun = 0;
    }

    /// <summary>The person failed the re-verification they were challenged with.</summary>
    public void RecordChallengeFailed(DateTimeOffset at) => _challengeFailedMs = Math.Max(_challengeFailedMs, Touch(at));

    /// <summary>
    /// Someone the account messaged answered. It ends a run of refusals when the day's replies at least match the
    /// messages to strangers that went unanswered, for then people are talking with the account; a stray answer to a
    /// stranger spammer does not wipe out the pressure it built. For a business it is the customer's latest message,
    /// which opens the customer-service window.
    /// </summary>
    public void RecordReply(DateTimeOffset at, string? from = null)
    {
        var ms = Touch(at);
        _hours.Add(ms, HourReplies);
        var replies = _hours.Sum(ms, HourReplies, 24);
        if (replies >= UnansweredStrangers(_hours.Sum(ms, HourNonContactSent, 24), replies, _recipients.Estimate(ms)))
        {
            _refusalsInRun = 0;
        }

        if (from is not null)
        {
            Business?.RecordInbound(ms, IdHash.Of(from));
        }
    }

    /// <summary>
    /// A reply from an account linked with this one on a device or network. It is not engagement: it neither counts as a
    /// reply nor ends a run of refusals, so a ring of accounts answering one another cannot pass for a conversation.
    /// </summary>
    public void RecordRingReply(DateTimeOffset at) => _ringReplies.Add(Touch(at), 0);

    /// <summary>The platform verified the business; a personal account it names becomes a business.</summary>
    public void RecordBusinessVerified(DateTimeOffset at, VerificationLevel level)
    {
        Touch(at);
        MakeBusiness().RecordVerified(level);
    }

    /// <summary>The account's business part, made now if the account had none.</summary>
    public BusinessTrack MakeBusiness() => Business ??= new BusinessTrack();

    /// <summary>A person opted in to, or out of, the business's messages; only a business keeps consent.</summary>
    public void RecordConsent(DateTimeOffset at, string person, Consent consent) =>
        Business?.RecordConsent(Touch(at), IdHash.Of(person), consent);

    public void RecordContactAdded(DateTimeOffset at) => _hours.Add(Touch(at), HourContactsAdded);

    /// <summary>A session started; what it links the account to is kept by the account's links.</summary>
    public void RecordSessionStarted(DateTimeOffset at) => Touch(at);

    /// <summary>Send attempts, messages sent and those sent to non-contacts in the hour of the day-long ring that holds <paramref name="at"/>.</summary>
    public (long Attempts, long Sent, long NonContactSent) HourActivity(DateTimeOffset at)
    {
        var ms = EventTime.ToMs(at);
        return (_hours.Sum(ms, HourAttempts, 1), _hours.Sum(ms, HourSent, 1), _hours.Sum(ms, HourNonContactSent, 1));
    }

    public Features Measure(DateTimeOffset at, FeedbackPolicy feedback)
    {
        var ms = EventTime.ToMs(at);
        // Each ring is walked once for all its channels: the sums are most of a decision's time.
        Span<long> day = stackalloc long[HourChannels];
        Span<long> hour = stackalloc long[MinuteChannels];
        Span<long> groupHour = stackalloc long[GroupChannels];
        _hours.SumChannels(ms, 24, day);
        _minutes.SumChannels(ms, 60, hour);
        _groupMinutes.SumChannels(ms, 60, groupHour);
        var sent = day[HourSent];
        var nonContactSent = day[HourNonContactSent];
        var distinct = _recipients.Estimate(ms);
        var replies = day[HourReplies];
        var replyRatio = ReplyRatio(replies, distinct);
        var answerable = _firstContacts.Sum(ms, 0, FirstContactBuckets) - _firstContacts.Sum(ms, 0, AnswerBuckets);
        var nonContactShare = sent > 0 ? (double)nonContactSent / sent : 0;
        var typingKnown = day[HourTypingKnown];
        var (corroborated, uncorroborated) = _feedback.WeighedPeople(ms, feedback);
        var passedMs = _challengePassedMs;
        var runOpen = _refusalsInRun > 0 && ms - _lastAttemptMs <= RefusalRunBreakMs;
        return new Features
        {
            AccountAgeHours = Registration is null ? null : Math.Max(0, (at - Registration.At).TotalHours),
            Reregistrations = Reregistrations,
            Business = Business is not null,
            Network = Registration?.Network ?? NetworkKind.Unknown,
            Attempts15s = _seconds.Sum(ms, 0, 15),
            Attempts1m = _seconds.Sum(ms, 0, 60),
            Attempts1h = hour[MinuteAttempts],
            Attempts24h = day[HourAttempts],
            Sent24h = sent,
            NonContactSent24h = nonContactSent,
            NonContactShare24h = nonContactShare,
            DistinctRecipients24h = distinct,
            Replies24h = replies,
            RingReplies24h = _ringReplies.Sum(ms, 0, 24),
            ReplyRatio24h = replyRatio,
            UnansweredStrangers24h = UnansweredStrangers(nonContactSent, replies, distinct),
            UnansweredStrangerShare24h = nonContactShare * (1 - replyRatio),
            AnswerableFirstContacts2h = answerable,
            UnansweredFirstContactShare = answerable > 0 ? 1 - ReplyRatio(replies, answerable) : 0,
            GroupsCreated10m = _groupMinutes.Sum(ms, GroupsCreated, 10),
            GroupsCreated1h = groupHour[GroupsCreated],
            GroupMembersAdded1h = groupHour[GroupMembersAdded],
            NonContactGroupMembersAdded1h = groupHour[GroupNonContactMembersAdded],
            Forwards1h = hour[MinuteForwards],
            FingerprintFanout1h = _fingerprints.MaxFanout(ms),
            TypingKnown24h = typingKnown,
            UntypedShare24h = typingKnown > 0 ? (double)day[HourUntyped] / typingKnown : 0,
            TimingVariation = _intervals.Variation,
            TimedIntervals = _intervals.Intervals,
            CorroboratedFeedback24h = corroborated,
            UncorroboratedFeedback24h = uncorroborated,
            ContactsAdded24h = day[HourContactsAdded],
            RefusalsInRun = runOpen ? _refusalsInRun : 0,
            RefusingForMinutes = runOpen ? (_lastAttemptMs - _refusedSinceMs) / 60_000.0 : 0,
            ChallengePassedAt = passedMs == long.MinValue ? null : EventTime.FromMs(passedMs),
            HoursSinceChallengePassed = passedMs == long.MinValue ? null : Math.Max(0, ms - passedMs) / 3_600_000.0,
            ChallengeFailedAt = _challengeFailedMs == long.MinValue ? null : EventTime.FromMs(_challengeFailedMs),
        };
    }

    /// <summary>Replies per distinct recipient, at most 1.</summary>
    private static double ReplyRatio(long replies, double distinctRecipients) => distinctRecipients > 0 ? Math.Min(1, replies / distinctRecipients) : 0;

    /// <summary>Messages to non-contacts that drew no reply: non-contact sends scaled by the missing replies.</summary>
    private static double UnansweredStrangers(long nonContactSent, long replies, double distinctRecipients) =>
        nonContactSent * (1 - ReplyRatio(replies, distinctRecipients));

    /// <summary>Writes the behaviour part of the state, in <see cref="AccountStateCodec.Current"/>.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(_lastEventMs);
        WriteRegistration(writer, Registration);
        _seconds.Write(writer);
        _minutes.Write(writer);
        _groupMinutes.Write(writer);
        _hours.Write(writer);
        _recipients.Write(writer);
        _feedback.Write(writer);
        _fingerprints.Write(writer);
        _intervals.Write(writer);
        writer.Write(_challengePassedMs);
        writer.Write(_challengeFailedMs);
        writer.Write(_refusedSinceMs);
        writer.Write(_lastAttemptMs);
        writer.Write(_refusalsInRun);
        writer.Write7BitEncodedInt(Reregistrations); // one byte, and no time, for the many accounts that registered once
        if (Reregistrations > 0)
        {
            writer.Write(_lastReregisteredMs);
        }

        writer.Write(Business is not null);
        Business?.Write(writer);
        _ringReplies.Write(writer);
        _firstContacts.Write(writer);
    }

    /// <summary>Reads the behaviour part of a state stored in <paramref name="format"/>.</summary>
    internal void Read(BinaryReader reader, StateFormat format)
    {
        _lastEventMs = reader.ReadInt64();
        Registration = ReadRegistration(reader);
        _seconds.Read(reader);
        if (format == StateFormat.SharedMinuteRing)
        {
            ReadSharedMinuteRing(reader);
        }
        else
        {
            _minutes.Read(reader);
            _groupMinutes.Read(reader);
        }

        _hours.Read(reader);
        _recipients.Read(reader, format);
        _feedback.Read(reader, format);
        _fingerprints.Read(reader);
        _intervals.Read(reader);
        var answered = format >= StateFormat.ChallengeOutcomes;
        _challengePassedMs = answered ? reader.ReadInt64() : long.MinValue;
        _challengeFailedMs = answered ? reader.ReadInt64() : long.MinValue;
        _refusedSinceMs = answered ? reader.ReadInt64() : long.MinValue;
        _lastAttemptMs = answered ? reader.ReadInt64() : long.MinValue;
        _refusalsInRun = answered ? reader.ReadInt32() : 0;
        Reregistrations = format >= StateFormat.DistinctReporters ? reader.Read7BitEncodedInt() : 0;
        if (Reregistrations is < 0 or > ushort.MaxValue)
        {
            throw new InvalidDataException($"{Reregistrations} re-registrations exceed {ushort.MaxValue}.");
        }

        _lastReregisteredMs = Reregistrations > 0 ? reader.ReadInt64() : long.MinValue;
        Business = null;
        if (format >= StateFormat.BusinessTrack ? reader.ReadBoolean() : Registration?.Business == true)
        {
            Business = new BusinessTrack();
            if (format >= StateFormat.BusinessTrack)
            {
                Business.Read(reader);
            }
        }

        _ringReplies = new(TimeSpan.FromHours(1), 24, 1);
        if (format >= StateFormat.RingReplies)
        {
            _ringReplies.Read(reader);
        }

        // Older formats kept no first contacts: the account starts with none, as a day with no new recipients.
        _firstContacts = new(FirstContactBucket, FirstContactBuckets, 1);
        if (format >= StateFormat.FirstContacts)
        {
            _firstContacts.Read(reader);
        }
    }

    /// <summary>
    /// <see cref="StateFormat.SharedMinuteRing"/> kept attempts, groups created, members added, non-contact members added
    /// and forwards in one ring: each channel goes to its ring of today.
    /// </summary>
    private void ReadSharedMinuteRing(BinaryReader reader)
    {
        var shared = new CounterRing<ushort>(TimeSpan.FromMinutes(1), 60, 5);
        shared.Read(reader);
        _minutes.CopyChannel(shared, 0, MinuteAttempts);
        _minutes.CopyChannel(shared, 4, MinuteForwards);
        _groupMinutes.CopyChannel(shared, 1, GroupsCreated);
        _groupMinutes.CopyChannel(shared, 2, GroupMembersAdded);
        _groupMinutes.CopyChannel(shared, 3, GroupNonContactMembersAdded);
    }

    private long Touch(DateTimeOffset at) => Touch(EventTime.ToMs(at));

    private long Touch(long ms)
    {
        _lastEventMs = Math.Max(_lastEventMs, ms);
        return ms;
    }

    private static void WriteRegistration(BinaryWriter writer, Registration? registration)
    {
        writer.Write(registration is not null);
        if (registration is null)
        {
            return;
        }

        writer.Write(EventTime.ToMs(registration.At));
        writer.Write((byte)registration.Network);
        writer.Write(registration.Business);
        WriteOptional(writer, registration.CountryCode);
        WriteOptional(writer, registration.IpPrefix);
        WriteOptional(writer, registration.DeviceId);
    }

    private static Registration? ReadRegistration(BinaryReader reader) =>
        reader.ReadBoolean()
            ? new Registration(
                EventTime.FromMs(reader.ReadInt64()),
                (NetworkKind)reader.ReadByte(),
                reader.ReadBoolean(),
                ReadOptional(reader),
                ReadOptional(reader),
                ReadOptional(reader))
            : null;

    internal static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    internal static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}

/// <summary>One message an account sends or tries to send; content is never seen, only its opaque fingerprint.</summary>
public readonly record struct OutgoingMessage(
    string Recipient,
    bool RecipientIsContact,
    string? GroupId = null,
    bool IsForward = false,
    string? Fingerprint = null,
    bool? Typed = null,
    ConversationKind? Conversation = null);
