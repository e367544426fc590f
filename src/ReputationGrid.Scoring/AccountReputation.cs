using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Linking;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring;

/// <summary>
/// One account's behaviour and standing, and the operations on them. Deterministic: every method
/// takes the event time it acts at, and the same calls in the same order give the same results.
/// Not thread-safe; its owner (the account grain) serialises access.
/// </summary>
public sealed class AccountReputation
{
    /// <summary>How many of the learned model's drivers a review names: enough to explain a <c>model_risk</c>, few enough to read.</summary>
    public const int ModelDriversShown = 3;

    private static readonly ReasonCode[] TierLimitReasons = [ReasonCode.BusinessTierLimit];
    private static readonly ReasonCode[] TierLimitAtLowQualityReasons = [ReasonCode.BusinessTierLimit, ReasonCode.QualityLow];

    public AccountBehaviour Behaviour { get; } = new();

    public EnforcementState Enforcement { get; } = new();

    /// <summary>The entities the account is linked to; stored apart from the account's state (see <see cref="AccountLinks"/>).</summary>
    public AccountLinks Links { get; set; } = new();

    /// <summary>What the account shows its entities, as of its latest check or reassessment.</summary>
    public LinkedAccountFlags LinkFlags { get; private set; }

    // Created with the first standing change since the owner last took them: almost every call has none.
    private List<StandingRecord>? _unrecorded;

    /// <summary>Whether standing changes or actions wait to be taken into the account's enforcement record.</summary>
    public bool HasUnrecorded => _unrecorded is not null;

    /// <summary>The standing changes and actions not yet in the account's enforcement record, oldest first (not stored with the state).</summary>
    public IReadOnlyList<StandingRecord> Unrecorded => _unrecorded ?? (IReadOnlyList<StandingRecord>)[];

    /// <summary>The owner stored the oldest <paramref name="count"/> of <see cref="Unrecorded"/> in the enforcement record.</summary>
    public void MarkRecorded(int count)
    {
        _unrecorded?.RemoveRange(0, count);
        if (_unrecorded is { Count: 0 })
        {
            _unrecorded = null;
        }
    }

    /// <summary>Whether anything has ever been recorded for this account.</summary>
    public bool Known => Behaviour.LastEventAt is not null || Enforcement.History.Count > 0 || Enforcement.Override is not null;

    /// <summary>
    /// The send-time check: records the attempt, decides, and counts the message as sent only when it is allowed. A
    /// business the abuse signals allow is still held to its tier: a conversation with a new person beyond its limit
    /// is throttled until a slot frees.
    /// </summary>
    /// <param name="change">What the check changed in the account's enforcement.</param>
    public Decision CheckSend(DateTimeOffset at, in OutgoingMessage message, ScoringPolicy policy, out EnforcementChange change) =>
        CheckSend(at, message, policy, null, out change, out _);

    /// <summary>
    /// The send-time check, also judging a <paramref name="shadow"/> candidate on the same measurement and the same
    /// standing, before the live verdict is adopted. The candidate changes nothing: it starts from the standing the live
    /// policy left (score, action, suspensions), so it says what the candidate would decide next from here.
    /// </summary>
    /// <param name="shadowDecision">The candidate's decision; default when there is no candidate.</param>
    public Decision CheckSend(
        DateTimeOffset at, in OutgoingMessage message, ScoringPolicy policy, ScoringPolicy? shadow, out EnforcementChange change, out Decision shadowDecision)
    {
        Behaviour.RecordAttempt(at);
        if (message.Fingerprint is { } fingerprint)
        {
            Links.Add(EntityKind.Content, fingerprint, at);
        }

        var businessChanged = AdvanceBusiness(at, policy);
        var when = JudgedAt(at);
        var features = Measure(when, policy);
        var risk = RiskModel.Assess(features, policy);
        var verdict = Enforcement.Judge(when, risk, features, policy);
        shadowDecision = shadow is null ? default : ToDecision(Judge(when, features, shadow), shadow);
        change = Enforcement.Apply(verdict, policy);
        NoteStanding(change, features, policy);
        change = businessChanged && change < EnforcementChange.Standing ? EnforcementChange.Standing : change;
        LinkFlags = FlagsOf(features, verdict, policy);
        if (verdict.Effective.Action == EnforcementAction.Allow && Behaviour.Business is { } business
            && business.BeyondLimit(EventTime.ToMs(at), IdHash.Of(message.Recipient), message.Conversation, policy.Business, out var retryAfter))
        {
            var reasons = business.Quality == QualityRating.Low ? TierLimitAtLowQualityReasons : TierLimitReasons;
            Behaviour.LeaveOutOfRefusalRun();
            return new Decision(EnforcementAction.Throttle, verdict.Score, reasons, retryAfter, null, policy.Version);
        }

        if (verdict.Effective.Action == EnforcementAction.Allow)
        {
            Behaviour.RecordDelivery(at, message);
        }
        else if (verdict.Effective.Action == EnforcementAction.Challenge)
        {
            Enforcement.NoteChallengeShown(verdict.At);
        }
        else if (verdict.Effective.Action == EnforcementAction.Throttle && risk.OnlyUnverifiedFeedbackThrottles(policy.Thresholds))
        {
            Behaviour.LeaveOutOfRefusalRun();
        }

        return ToDecision(verdict, policy);
    }

    /// <summary>Re-judges the account after events were recorded, and says what that changed.</summary>
    public EnforcementChange Reassess(DateTimeOffset at, ScoringPolicy policy)
    {
        var businessChanged = AdvanceBusiness(at, policy);
        var verdict = Judge(at, policy, out var features);
        var change = Enforcement.Apply(verdict, policy);
        NoteStanding(change, features, policy);
        LinkFlags = FlagsOf(features, verdict, policy);
        return businessChanged && change < EnforcementChange.Standing ? EnforcementChange.Standing : change;
    }

    /// <summary>
    /// Someone the account messaged answered. A reply from an account its device or network says is linked with it is
    /// recorded as a ring reply, which is no sign of engagement; any other reply is.
    /// </summary>
    public void RecordReply(DateTimeOffset at, string from)
    {
        if (Links.IsLinkedMember(IdHash.Of(from)))
        {
            Behaviour.RecordRingReply(at);
        }
        else
        {
            Behaviour.RecordReply(at, from);
        }
    }

    /// <summary>An operator sets the account's business tier; an account without a business part becomes a business.</summary>
    public void SetBusinessTier(int tier, DateTimeOffset at, string by, string? note) =>
        Behaviour.MakeBusiness().SetTier(tier, at, by, note, Enforcement);

    /// <summary>Brings a business's tier and rating up to the latest event time seen; a change is stored like a standing.</summary>
    private bool AdvanceBusiness(DateTimeOffset at, ScoringPolicy policy)
    {
        return Behaviour.Business is { } business && business.Advance(JudgedAt(at), policy, Enforcement);
    }

    /// <summary>
    /// Records an operator's action: an override (see <see cref="EnforcementState.ApplyOverride"/>) or a business's
    /// <paramref name="tier"/>, noting what the account was measured at then.
    /// </summary>
    public void ApplyOperatorAction(
        OperatorCommand command, DateTimeOffset at, string by, string? note, DateTimeOffset? until, int? tier, ScoringPolicy policy)
    {
        if (command == OperatorCommand.SetTier)
        {
            SetBusinessTier(tier ?? throw new ArgumentException("Setting a tier needs the tier.", nameof(tier)), at, by, note);
        }
        else
        {
            Enforcement.ApplyOverride(command, at, by, note, until);
        }

        NoteAction(command == OperatorCommand.Suspend ? until : null, Measure(JudgedAt(at), policy), policy);
    }

    /// <summary>
    /// Takes the risk an entity pushed and re-judges the account at its latest event time. An entity ban becomes a
    /// standing operator ban by <c>entity:kind/id</c> (unless an operator acted on the account itself), and clearing the
    /// entity lifts the ban it made.
    /// </summary>
    /// <param name="members">The entity's members as it pushed them (see <see cref="EntityReputation.Members"/>), or null.</param>
    public EnforcementChange UpdateLink(EntityKind kind, string id, in EntityRisk risk, DateTimeOffset now, ScoringPolicy policy, ulong[]? members = null)
    {
        if (Links.Find(kind, id) is not { } link)
        {
            return EnforcementChange.None; // a push for a link the account has since dropped
        }

        link.Risk = risk;
        link.Members = members;
        if (risk.Banned && Enforcement.Override is null or { Command: OperatorCommand.Suspend })
        {
            ApplyOperatorAction(OperatorCommand.Ban, now, link.ActingAs, "linked entity banned", null, null, policy);
            return EnforcementChange.Standing;
        }

        if (!risk.Banned && Enforcement.Override is { Command: OperatorCommand.Ban } ban && ban.By == link.ActingAs)
        {
            ApplyOperatorAction(OperatorCommand.Clear, now, link.ActingAs, "linked entity cleared", null, null, policy);
            LinkFlags &= ~LinkedAccountFlags.Actioned;
            return EnforcementChange.Standing;
        }

        return Reassess(Behaviour.LastEventAt ?? now, policy);
    }

    /// <summary>The account as it stands at <paramref name="at"/>, without recording or changing anything.</summary>
    public AccountReview Review(DateTimeOffset at, ScoringPolicy policy)
    {
        var verdict = Judge(at, policy, out var features);
        var drivers = policy.Model?.Drivers(features, ModelDriversShown) ?? [];
        return new AccountReview(Known, ToDecision(verdict, policy), verdict.Effective.Since, features, Enforcement.History, ReviewBusiness(at, policy), drivers);
    }

    /// <summary>What a report or block this account gives at <paramref name="at"/> is worth; see <see cref="ReporterStanding"/>.</summary>
    public ReporterStanding StandingAt(DateTimeOffset at, ScoringPolicy policy)
    {
        var standing = ReporterStanding.Established;
        if (Behaviour.Registration is { } registration && at - registration.At < policy.Feedback.YoungReporterFor)
        {
            standing |= ReporterStanding.Young;
        }

        var actioned = Known && Judge(at, policy, out _).Effective.Action.Severity() >= EnforcementAction.Suspend.Severity();
        return actioned ? standing | ReporterStanding.Actioned : standing;
    }

    private Verdict Judge(DateTimeOffset at, ScoringPolicy policy, out Features features)
    {
        var when = JudgedAt(at);
        features = Measure(when, policy);
        return Judge(when, features, policy);
    }

    /// <summary>Judge no earlier than the latest event seen, so a late-arriving event is measured with its successors.</summary>
    private DateTimeOffset JudgedAt(DateTimeOffset at) => Behaviour.LastEventAt is { } latest && latest > at ? latest : at;

    private Features Measure(DateTimeOffset when, ScoringPolicy policy)
    {
        var linked = Links.Combined();
        return Behaviour.Measure(when, policy.Feedback) with
        {
            LinkedActionedShare = linked.ActionedShare,
            LinkedFarmShare = linked.FarmShare,
            LinkedCampaignSenders = linked.CampaignSenders,
        };
    }

    private Verdict Judge(DateTimeOffset when, in Features features, ScoringPolicy policy) =>
        Enforcement.Judge(when, RiskModel.Assess(features, policy), features, policy);

    private BusinessReview? ReviewBusiness(DateTimeOffset at, ScoringPolicy policy)
    {
        if (Behaviour.Business is not { } business)
        {
            return null;
        }

        var ms = EventTime.ToMs(JudgedAt(at));
        var quality = business.MeasureQuality(ms, policy);
        var limit = policy.Business.LimitOf(business.Tier);
        return new BusinessReview(
            business.Tier,
            limit,
            business.UsedIn24h(ms),
            business.Verification,
            quality,
            limit is { } upgradeLimit ? BusinessTrack.UpgradeNeeds(upgradeLimit, policy.Business) : null,
            business.UpgradeConditionMetAt + policy.Business.UpgradeAfter,
            business.Tier > 1 ? business.LowSince + policy.Business.DowngradeAfter : null);
    }


    /// <summary>Notes a change of standing for the enforcement record; a move between allow and throttle is not one.</summary>
    private void NoteStanding(EnforcementChange change, in Features features, ScoringPolicy policy)
    {
        if (change == EnforcementChange.Standing)
        {
            NoteAction(Enforcement.SuspendedUntil, features, policy);
        }
    }

    /// <summary>Notes the history entry just added, with the risk the features carry under the policy.</summary>
    private void NoteAction(DateTimeOffset? until, in Features features, ScoringPolicy policy) =>
        (_unrecorded ??= []).Add(new StandingRecord(
            Enforcement.History[^1], Enforcement.Score, until, policy.Version, features, RiskModel.Assess(features, policy)));

    /// <summary>The account's state as stored; see <see cref="AccountStateCodec"/>.</summary>
    public byte[] Encode() => AccountStateCodec.Encode(this);

    /// <summary>An account from its stored state; see <see cref="AccountStateCodec"/>.</summary>
    public static AccountReputation Decode(ReadOnlySpan<byte> encoded) => AccountStateCodec.Decode(encoded);

    private LinkedAccountFlags FlagsOf(in Features features, in Verdict verdict, ScoringPolicy policy)
    {
        var linking = policy.Linking;
        var flags = LinkedAccountFlags.None;
        // Attempts, not deliveries: an account refused for its links kept trying, and must not stop counting as evidence.
        if (features.Attempts24h >= linking.StrangerSenderMinimumSends && features.UnansweredStrangerShare24h >= linking.StrangerSenderShare)
        {
            flags |= LinkedAccountFlags.StrangerSender;
            flags |= features.AccountAge < policy.NewAccount.YoungFor ? LinkedAccountFlags.YoungStrangerSender : LinkedAccountFlags.None;
        }

        return ActionedOnItsOwn(verdict) ? flags | LinkedAccountFlags.Actioned : flags;
    }

    /// <summary>
    /// Suspended or banned by the policy or by an operator acting on this account. A ban an entity handed down is left
    /// out, or clearing the entity would leave its accounts looking actioned and suspend them through the link.
    /// </summary>
    private bool ActionedOnItsOwn(in Verdict verdict)
    {
        var suspendOrWorse = EnforcementAction.Suspend.Severity();
        if (Enforcement.Override is { } byOperator && !AccountLink.IsEntityActor(byOperator.By))
        {
            return verdict.Effective.Action.Severity() >= suspendOrWorse;
        }

        return verdict.Automatic.Action.Severity() >= suspendOrWorse;
    }

    private static Decision ToDecision(in Verdict verdict, ScoringPolicy policy)
    {
        var effective = verdict.Effective;
        return new(
            effective.Action,
            verdict.Score,
            effective.Reasons,
            effective.Action == EnforcementAction.Throttle ? policy.ThrottleRetryAfterSeconds : null,
            effective.Action == EnforcementAction.Suspend ? effective.Until : null,
            policy.Version);
    }
}

/// <summary>
/// An account as an operator reviews it: its current decision, what it was measured at, its history, its business
/// standing if it is a business, and the features that drove the policy's learned model most (empty when the policy has none).
/// </summary>
public sealed record AccountReview(
    bool Known,
    Decision Decision,
    DateTimeOffset? Since,
    Features Features,
    IReadOnlyList<HistoryEntry> History,
    BusinessReview? Business,
    IReadOnlyList<ModelDriver> ModelDrivers);

/// <summary>A business's standing as an operator reviews it.</summary>
/// <param name="Limit">Distinct people it may open conversations with in a rolling day; null when unlimited.</param>
/// <param name="UsedIn24h">Distinct people it opened conversations with in the rolling day.</param>
/// <param name="UpgradeNeeds">Conversations to open within the upgrade window, at medium or high quality, to be due an upgrade; null at the top tier.</param>
/// <param name="UpgradeAt">When it moves up a tier if it still meets the condition then; null while it does not meet it.</param>
/// <param name="DowngradeAt">When it moves down a tier if its quality is still low then; null unless it is low above tier 1.</param>
public sealed record BusinessReview(
    int Tier,
    int? Limit,
    long UsedIn24h,
    VerificationLevel Verification,
    QualityInputs Quality,
    long? UpgradeNeeds,
    DateTimeOffset? UpgradeAt,
    DateTimeOffset? DowngradeAt);
