using System.Globalization;
using System.Runtime.CompilerServices;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.BusinessAccounts;

/// <summary>
/// The business part of an account: its tier and the distinct people it opened conversations with in a rolling day,
/// the people it deals with (consent, last message from them), and the feedback its quality rating is made from.
/// Allocated only for business accounts. Deterministic on event time; recording and the send-time check allocate
/// nothing once the table has room.
/// </summary>
public sealed class BusinessTrack
{
    /// <summary>How long feedback and conversations are kept: the longest quality and upgrade window a policy may set.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(7);

    // A business-initiated conversation lasts a day (messages to the same person within it use no new slot), and a reply
    // within a day of the customer's last message is a service message: both are the platform's definitions, not tuning.
    private const long ConversationWindowMs = 24 * EventTime.Hour;
    private const long ServiceWindowMs = 24 * EventTime.Hour;
    private const long KeptMs = 7 * EventTime.Day;

    // Conversations opened per hour: the current hour and the 23 before it are the rolling day of the limit.
    private const int OpenedHours = 24;

    // Quality inputs per 6 hours over 7 days: fine enough to weigh by recency, small enough for every business.
    private const int Reached = 0, Opened = 1, Blocks = 2, Reports = 3, OptOuts = 4, OptedOutMessages = 5, Uncorroborated = 6;
    private const int QualityChannels = 7;
    private const long QualityBucketMs = 6 * EventTime.Hour;

    private readonly TimeBuckets _opened = new(EventTime.Hour, OpenedHours, 1);
    private readonly TimeBuckets _quality = new(QualityBucketMs, (int)(KeptMs / QualityBucketMs), QualityChannels);
    private readonly RecipientTable _people = new();
    private QualitySums _sums; // not readonly: a mutable struct held inline

    private long _upgradeMetSinceMs = long.MinValue;
    private long _lowSinceMs = long.MinValue;

    /// <summary>The verification level whose tier raise has been applied.</summary>
    private VerificationLevel _raisedFor;

    /// <summary>The tier, 1 to <see cref="BusinessPolicy.MaxTier"/>.</summary>
    public int Tier { get; private set; } = 1;

    public VerificationLevel Verification { get; private set; }

    /// <summary>The rating as of the latest assessment; changes are recorded in the account's history.</summary>
    public QualityRating Quality { get; private set; }

    /// <summary>When the business first met the upgrade condition in the run that still holds, or null.</summary>
    public DateTimeOffset? UpgradeConditionMetAt => _upgradeMetSinceMs == long.MinValue ? null : EventTime.FromMs(_upgradeMetSinceMs);

    /// <summary>When the business's current spell at low quality began (or its last downgrade in it), or null.</summary>
    public DateTimeOffset? LowSince => _lowSinceMs == long.MinValue ? null : EventTime.FromMs(_lowSinceMs);

    /// <summary>People the business's table holds.</summary>
    public int PeopleKnown => _people.Count;

    public void RecordVerified(VerificationLevel level) => Verification = level > Verification ? level : Verification;

    public void RecordConsent(long ms, ulong person, Consent consent)
    {
        ref var entry = ref _people.Upsert(person, ms, KeptMs, out _);
        entry.Consent = consent;
        if (consent == Consent.OptedOut)
        {
            _quality.Add(ms, OptOuts);
        }
    }

    /// <summary>The person wrote to the business: its replies within the service window are service messages.</summary>
    public void RecordInbound(long ms, ulong person)
    {
        ref var entry = ref _people.Upsert(person, ms, KeptMs, out _);
        entry.InboundMinute = Math.Max(entry.InboundMinute, RecipientTable.MinuteOf(ms));
    }

    /// <summary>A block or report counts in full from someone the business reached within the window, else as uncorroborated.</summary>
    public void RecordNegativeFeedback(long ms, ulong person, NegativeFeedbackKind kind)
    {
        ref var entry = ref _people.Find(person, out var found);
        var reached = found && RecipientTable.Entry.Within(entry.ReachedMinute, ms, KeptMs);
        _quality.Add(ms, !reached ? Uncorroborated : kind == NegativeFeedbackKind.Block ? Blocks : Reports);
    }

    /// <summary>
    /// A message the business delivered. A claimed service message counts as one only within the service window after
    /// the person's last message; anything else is business-initiated. Returns whether the message is wanted traffic
    /// (a service reply, or to someone who opted in), which the personal signals do not count as a message to a stranger.
    /// </summary>
    public bool RecordDelivery(long ms, ulong person, ConversationKind? claimed)
    {
        ref var entry = ref _people.Upsert(person, ms, KeptMs, out _);
        var service = IsService(entry, ms, claimed);
        var minute = RecipientTable.MinuteOf(ms);
        if (!service && !RecipientTable.Entry.Within(entry.OpenedMinute, ms, ConversationWindowMs))
        {
            entry.OpenedMinute = minute;
            _opened.Add(ms, 0);
            _quality.Add(ms, Opened);
        }

        if (!RecipientTable.Entry.Within(entry.ReachedMinute, ms, ConversationWindowMs))
        {
            entry.ReachedMinute = minute;
            _quality.Add(ms, Reached);
        }

        if (!service && entry.Consent == Consent.OptedOut)
        {
            _quality.Add(ms, OptedOutMessages);
        }

        return service || entry.Consent == Consent.OptedIn;
    }

    /// <summary>
    /// Whether the message would start a business-initiated conversation with a new person beyond the tier's limit, and
    /// if so the whole seconds until the oldest conversation in the rolling day leaves it and frees a slot.
    /// </summary>
    public bool BeyondLimit(long ms, ulong person, ConversationKind? claimed, BusinessPolicy policy, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (policy.LimitOf(Tier) is not { } limit)
        {
            return false;
        }

        ref var entry = ref _people.Find(person, out var found);
        if (found && (IsService(entry, ms, claimed) || RecipientTable.Entry.Within(entry.OpenedMinute, ms, ConversationWindowMs)))
        {
            return false;
        }

        if (UsedIn24h(ms) < limit)
        {
            return false;
        }

        retryAfterSeconds = (int)Math.Max(1, (SlotFreesAtMs(ms) - ms + EventTime.Second - 1) / EventTime.Second);
        return true;
    }

    /// <summary>Distinct people the business opened conversations with in the current hour and the 23 before it.</summary>
    public long UsedIn24h(long ms)
    {
        var now = _opened.BucketOf(ms);
        long used = 0;
        for (var bucket = now - OpenedHours + 1; bucket <= now; bucket++)
        {
            used += _opened.Get(bucket, 0);
        }

        return used;
    }

    /// <summary>When the oldest hour in the rolling day that holds a conversation leaves it.</summary>
    private long SlotFreesAtMs(long ms)
    {
        var now = _opened.BucketOf(ms);
        for (var bucket = now - OpenedHours + 1; bucket <= now; bucket++)
        {
            if (_opened.Get(bucket, 0) > 0)
            {
                return (bucket + OpenedHours) * EventTime.Hour;
            }
        }

        return ms;
    }

    /// <summary>The quality rating and what it is made from, as of <paramref name="ms"/>.</summary>
    public QualityInputs MeasureQuality(long ms, ScoringPolicy policy)
    {
        var business = policy.Business;
        var now = _quality.BucketOf(ms);
        var qualityBuckets = (int)Math.Ceiling(business.QualityWindow.TotalMilliseconds / QualityBucketMs);
        var upgradeBuckets = (int)Math.Ceiling(business.UpgradeWindow.TotalMilliseconds / QualityBucketMs);
        var weights = business.QualityWeights(QualityBucketMs, _quality.BucketCount);
        if (!_sums.SummedFrom(weights, now, _quality.Changes, qualityBuckets, upgradeBuckets))
        {
            SumQuality(weights, now, qualityBuckets, upgradeBuckets);
        }

        ReadOnlySpan<double> weighted = _sums.Weighted;
        var opened = _sums.Opened;
        var negative = weighted[Blocks] + weighted[Reports] + business.OptOutWeight * weighted[OptOuts]
            + business.OptedOutMessageWeight * weighted[OptedOutMessages] + policy.UncorroboratedFeedbackWeight * weighted[Uncorroborated];
        var rate = negative / Math.Max(weighted[Reached], business.QualityMinimumRecipients);
        var rating = rate >= business.QualityLowAt ? QualityRating.Low : rate >= business.QualityMediumAt ? QualityRating.Medium : QualityRating.High;
        return new QualityInputs(rating, rate, weighted[Reached], weighted[Blocks], weighted[Reports], weighted[OptOuts], weighted[OptedOutMessages],
            weighted[Uncorroborated], opened);
    }

    /// <summary>Sums the quality buckets into <see cref="_sums"/>, each weighted by its age, as of bucket <paramref name="now"/>.</summary>
    private void SumQuality(double[] weights, long now, int qualityBuckets, int upgradeBuckets)
    {
        Span<double> weighted = _sums.Weighted;
        weighted.Clear();
        long opened = 0;
        for (var age = 0; age < _quality.BucketCount; age++)
        {
            var counts = _quality.Counts(now - age);
            if (counts.IsEmpty)
            {
                continue; // a bucket not held counts nothing
            }

            if (age < upgradeBuckets)
            {
                opened += counts[Opened];
            }

            if (age >= qualityBuckets)
            {
                continue;
            }

            for (var channel = 0; channel < QualityChannels; channel++)
            {
                weighted[channel] += weights[age] * counts[channel];
            }
        }

        _sums = _sums with { Weights = weights, Bucket = now, Changes = _quality.Changes, QualityBuckets = qualityBuckets, UpgradeBuckets = upgradeBuckets, Opened = opened };
    }

    /// <summary>
    /// Brings the tier and rating up to <paramref name="at"/>: a verified business is raised to its verified tier, a
    /// quality change is noted, low quality holds the tier and moves it down one for every <see cref="BusinessPolicy.DowngradeAfter"/>
    /// it lasts, and a business that met the upgrade condition <see cref="BusinessPolicy.UpgradeAfter"/> ago and still
    /// meets it moves up one. Each change goes into the account's history. Returns whether anything changed.
    /// </summary>
    public bool Advance(DateTimeOffset at, ScoringPolicy policy, EnforcementState enforcement)
    {
        var business = policy.Business;
        var ms = EventTime.ToMs(at);
        var changed = false;
        var verifiedTier = Verification switch
        {
            VerificationLevel.Full => business.FullyVerifiedTier,
            VerificationLevel.Basic => business.BasicVerifiedTier,
            _ => 1,
        };
        if (Verification > _raisedFor)
        {
            // A verification raises the tier once: later downgrades for low quality, or an operator's tier, stand.
            _raisedFor = Verification;
            if (Tier < verifiedTier)
            {
                changed |= Move(enforcement, at, verifiedTier, ReasonCode.BusinessVerified, policy);
            }
        }

        var quality = MeasureQuality(ms, policy);
        if (quality.Rating != Quality)
        {
            enforcement.NoteBusinessChange(at, QualityReason(quality.Rating), EnforcementState.PolicyActor(policy),
                $"quality {BusinessNames.Name(Quality)} -> {BusinessNames.Name(quality.Rating)}");
            Quality = quality.Rating;
            changed = true;
        }

        if (quality.Rating == QualityRating.Low)
        {
            _upgradeMetSinceMs = long.MinValue;
            _lowSinceMs = _lowSinceMs == long.MinValue ? ms : _lowSinceMs;
            var holdMs = (long)business.DowngradeAfter.TotalMilliseconds;
            while (ms - _lowSinceMs >= holdMs && Tier > 1)
            {
                _lowSinceMs += holdMs;
                changed |= Move(enforcement, EventTime.FromMs(_lowSinceMs), Tier - 1, ReasonCode.QualityLow, policy);
            }

            return changed;
        }

        _lowSinceMs = long.MinValue;
        if (!MeetsUpgradeCondition(quality, business) || StandsActioned(enforcement))
        {
            _upgradeMetSinceMs = long.MinValue;
            return changed;
        }

        _upgradeMetSinceMs = _upgradeMetSinceMs == long.MinValue ? ms : _upgradeMetSinceMs;
        if (ms - _upgradeMetSinceMs >= (long)business.UpgradeAfter.TotalMilliseconds)
        {
            var upgradeAt = EventTime.FromMs(_upgradeMetSinceMs + (long)business.UpgradeAfter.TotalMilliseconds);
            _upgradeMetSinceMs = long.MinValue;
            changed |= Move(enforcement, upgradeAt, Tier + 1, ReasonCode.BusinessTierUpgraded, policy);
        }

        return changed;
    }

    /// <summary>Under an action or an operator's suspension or ban: a business is raised only while it stands clear.</summary>
    private static bool StandsActioned(EnforcementState enforcement) => enforcement.Override?.Command switch
    {
        OperatorCommand.Ban or OperatorCommand.Suspend => true,
        OperatorCommand.Allowlist => false,
        _ => enforcement.AutomaticAction != EnforcementAction.Allow,
    };

    /// <summary>Opened at least the policy's share of its limit within the upgrade window, below the top tier.</summary>
    public bool MeetsUpgradeCondition(in QualityInputs quality, BusinessPolicy policy) =>
        quality.Rating != QualityRating.Low && policy.LimitOf(Tier) is { } limit && quality.Opened >= UpgradeNeeds(limit, policy);

    /// <summary>Conversations a business at this limit must open within the upgrade window to be due an upgrade.</summary>
    public static long UpgradeNeeds(int limit, BusinessPolicy policy) => (long)Math.Ceiling(limit * policy.UpgradeUsedShare);

    /// <summary>An operator sets the tier; the upgrade and downgrade clocks start afresh.</summary>
    public void SetTier(int tier, DateTimeOffset at, string by, string? note, EnforcementState enforcement)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tier, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tier, BusinessPolicy.MaxTier);
        _upgradeMetSinceMs = long.MinValue;
        _lowSinceMs = _lowSinceMs == long.MinValue ? long.MinValue : EventTime.ToMs(at);
        enforcement.NoteBusinessChange(at, ReasonCode.OperatorSetTier, by, note ?? TierNote(Tier, tier));
        Tier = tier;
    }

    private bool Move(EnforcementState enforcement, DateTimeOffset at, int tier, ReasonCode reason, ScoringPolicy policy)
    {
        enforcement.NoteBusinessChange(at, reason, EnforcementState.PolicyActor(policy), TierNote(Tier, tier));
        Tier = tier;
        return true;
    }

    private static string TierNote(int from, int to) =>
        string.Create(CultureInfo.InvariantCulture, $"tier {from} -> {to}");

    private static ReasonCode QualityReason(QualityRating rating) => rating switch
    {
        QualityRating.High => ReasonCode.QualityHigh,
        QualityRating.Medium => ReasonCode.QualityMedium,
        _ => ReasonCode.QualityLow,
    };

    private static bool IsService(in RecipientTable.Entry entry, long ms, ConversationKind? claimed) =>
        claimed == ConversationKind.Service && RecipientTable.Entry.Within(entry.InboundMinute, ms, ServiceWindowMs);

    internal void Write(BinaryWriter writer)
    {
        writer.Write((byte)Tier);
        writer.Write((byte)Verification);
        writer.Write((byte)_raisedFor);
        writer.Write((byte)Quality);
        writer.Write(_upgradeMetSinceMs);
        writer.Write(_lowSinceMs);
        _opened.Write(writer);
        _quality.Write(writer);
        _people.Write(writer);
    }

    internal void Read(BinaryReader reader)
    {
        var tier = reader.ReadByte();
        var level = reader.ReadByte();
        var raisedFor = reader.ReadByte();
        var rating = reader.ReadByte();
        Tier = tier is >= 1 and <= BusinessPolicy.MaxTier ? tier : throw new InvalidDataException($"Unknown business tier {tier}.");
        Verification = level <= (byte)VerificationLevel.Full ? (VerificationLevel)level : throw new InvalidDataException($"Unknown verification level {level}.");
        _raisedFor = raisedFor <= level ? (VerificationLevel)raisedFor : throw new InvalidDataException($"Verification raise {raisedFor} above the level {level}.");
        Quality = rating <= (byte)QualityRating.Low ? (QualityRating)rating : throw new InvalidDataException($"Unknown quality rating {rating}.");
        _upgradeMetSinceMs = reader.ReadInt64();
        _lowSinceMs = reader.ReadInt64();
        _opened.Read(reader);
        _quality.Read(reader);
        _people.Read(reader);
    }

    /// <summary>
    /// A business's quality buckets summed by recency, with what they were summed from. They change only when feedback, a
    /// newly reached person or an opened conversation is counted, or a bucket ends, so most send checks reuse them instead
    /// of reading a week of buckets.
    /// </summary>
    private struct QualitySums
    {
        /// <summary>The weights they were summed with: the policy makes new ones for a new half-life.</summary>
        public double[]? Weights;
        public long Bucket;
        public int Changes;
        public int QualityBuckets;
        public int UpgradeBuckets;

        /// <summary>Conversations opened within the upgrade window.</summary>
        public long Opened;

        /// <summary>Each channel's counts, weighted by age within the quality window.</summary>
        public QualityChannelSums Weighted;

        public readonly bool SummedFrom(double[] weights, long bucket, int changes, int qualityBuckets, int upgradeBuckets) =>
            ReferenceEquals(Weights, weights) && Bucket == bucket && Changes == changes && QualityBuckets == qualityBuckets && UpgradeBuckets == upgradeBuckets;
    }

    [InlineArray(QualityChannels)]
    private struct QualityChannelSums
    {
        private double _first;
    }
}

/// <summary>
/// A business's quality rating and what it is made from: counts over the quality window, each weighted by how
/// recent it is (today's count in full, one half-life ago half), and the rate of weighted negative feedback per
/// weighted recipient reached (at least the policy's minimum recipients).
/// </summary>
/// <param name="Opened">Business-initiated conversations opened in the upgrade window, unweighted.</param>
public readonly record struct QualityInputs(
    QualityRating Rating,
    double Rate,
    double Reached,
    double Blocks,
    double Reports,
    double OptOuts,
    double OptedOutMessages,
    double UncorroboratedFeedback,
    long Opened);
