using System.Text.Json.Serialization;
using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Scoring.Linking;

namespace ReputationGrid.Scoring.Policy;

/// <summary>
/// Every weight and threshold the decision uses. Bound from configuration (section <c>Policy</c>), which seeds the
/// cluster's first version, and after that changed as a <see cref="PolicyDocument"/>. Versioned: the version is
/// returned with every decision, so change it whenever a value changes.
/// The defaults are the shipped policy; docs/POLICY.md explains each value.
/// </summary>
public sealed class ScoringPolicy
{
    public string Version { get; set; } = "2026-12-03.5";

    private ActorNameOfVersion? _actorName; // replaced whole, so a thread reads a version with its own name

    /// <summary>
    /// "policy:" and the version: who acts for this policy in accounts' histories. Made once per version and shared, since
    /// a string made per change of standing would cost every account that ever changed standing 64 bytes.
    /// </summary>
    internal string ActorName()
    {
        var actor = _actorName;
        if (actor is null || !string.Equals(actor.Version, Version, StringComparison.Ordinal))
        {
            _actorName = actor = new ActorNameOfVersion(Version, $"policy:{Version}");
        }

        return actor.Name;
    }

    private sealed record ActorNameOfVersion(string Version, string Name);

    public ActionThresholds Thresholds { get; set; } = new();

    /// <summary>How fast the score climbs back once the behaviour behind it stops (it falls at once).</summary>
    public double RecoveryPointsPerHour { get; set; } = 20;

    public int ThrottleRetryAfterSeconds { get; set; } = 30;

    public TimeSpan SuspendFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The automatic suspension that makes this many within <see cref="RepeatOffenceWindow"/> becomes a ban.</summary>
    public int SuspensionsBeforeBan { get; set; } = 3;

    public TimeSpan RepeatOffenceWindow { get; set; } = TimeSpan.FromDays(30);

    public NewAccountPolicy NewAccount { get; set; } = new();

    public BusinessPolicy Business { get; set; } = new();

    public LinkingPolicy Linking { get; set; } = new();
    public EscalationPolicy Escalation { get; set; } = new();

    /// <summary>Signals contributing fewer points than this are not named as reasons.</summary>
    public double ReasonMinimumPoints { get; set; } = 5;

    /// <summary>Shares (non-contacts, no typing) are only judged once the day holds this many sends.</summary>
    public int MinimumSendsForShares { get; set; } = 10;

    /// <summary>
    /// Sends the day must hold before a report from someone the account messaged is weighed against its missing replies
    /// (<c>reported_while_ignored</c>): the report itself is the evidence, so it needs fewer than the other shares.
    /// </summary>
    public int MinimumSendsWhenReported { get; set; } = 4;

    /// <summary>
    /// People the account started messaging within two hours, their first message old enough to have been answered, that
    /// <c>unanswered_recipients</c> needs: few, so that a list worked through slowly delivers little before it is judged,
    /// and enough that a quiet day of a few unanswered messages is not.
    /// </summary>
    public int MinimumAnswerableFirstContacts { get; set; } = 6;

    /// <summary>
    /// Messages per distinct recipient of the day below which an account writes as one working through a list (one
    /// message each) rather than holding conversations; <c>unanswered_recipients</c> is judged only below it.
    /// </summary>
    public double ListMessagesPerRecipient { get; set; } = 2;

    /// <summary>Timing regularity is only judged after this many gaps between sends.</summary>
    public int MinimumTimedIntervals { get; set; } = 20;

    /// <summary>Negative feedback is only judged once this many distinct people gave it.</summary>
    public double MinimumFeedback { get; set; } = 2;

    /// <summary>What a report or block from someone the account never messaged counts for (1 = a full one).</summary>
    public double UncorroboratedFeedbackWeight { get; set; } = 0.25;

    public FeedbackPolicy Feedback { get; set; } = new();

    public SnapshotPolicy Snapshots { get; set; } = new();

    public SignalPolicies Signals { get; set; } = new();

    /// <summary>A learned model whose probability is the <c>ModelRisk</c> signal; none by default, and then that signal is never judged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LearnedModel? Model { get; set; }

    /// <summary>Everything wrong with the policy, empty when it is usable; each message begins with the key it is about.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Version))
        {
            errors.Add("Policy:Version is required: every decision reports it.");
        }

        errors.AddRange(Thresholds.Validate());
        Require(errors, RecoveryPointsPerHour > 0, "Policy:RecoveryPointsPerHour must be above 0, or no score ever recovers.");
        Require(errors, ThrottleRetryAfterSeconds > 0, "Policy:ThrottleRetryAfterSeconds must be above 0.");
        Require(errors, SuspendFor > TimeSpan.Zero, "Policy:SuspendFor must be a positive duration.");
        Require(errors, SuspensionsBeforeBan >= 1, "Policy:SuspensionsBeforeBan must be at least 1.");
        Require(errors, RepeatOffenceWindow > TimeSpan.Zero, "Policy:RepeatOffenceWindow must be a positive duration.");
        Require(errors, ReasonMinimumPoints >= 0, "Policy:ReasonMinimumPoints must not be negative.");
        Require(errors, MinimumSendsForShares >= 1, "Policy:MinimumSendsForShares must be at least 1.");
        Require(errors, MinimumSendsWhenReported >= 1, "Policy:MinimumSendsWhenReported must be at least 1.");
        Require(errors, MinimumAnswerableFirstContacts >= 1, "Policy:MinimumAnswerableFirstContacts must be at least 1.");
        Require(errors, ListMessagesPerRecipient > 1, "Policy:ListMessagesPerRecipient must be above 1: a list gets one message each.");
        Require(errors, MinimumTimedIntervals >= 2, "Policy:MinimumTimedIntervals must be at least 2.");
        Require(errors, MinimumFeedback >= 1, "Policy:MinimumFeedback must be at least 1.");
        Require(errors, UncorroboratedFeedbackWeight is >= 0 and <= 1, "Policy:UncorroboratedFeedbackWeight must be between 0 and 1.");
        errors.AddRange(NewAccount.Validate());
        errors.AddRange(Business.Validate());
        errors.AddRange(Linking.Validate());
        errors.AddRange(Escalation.Validate());
        errors.AddRange(Feedback.Validate());
        errors.AddRange(Snapshots.Validate());
        Signals.Validate(errors);
        Model?.Validate(errors);
        return errors;
    }

    internal static void Require(List<string> errors, bool condition, string message)
    {
        if (!condition)
        {
            errors.Add(message);
        }
    }
}

/// <summary>
/// Scores below which each action starts. An action ends only once the score is
/// <see cref="Hysteresis"/> points above where it started, so a borderline account does not flap.
/// </summary>
public sealed class ActionThresholds
{
    public double Throttle { get; set; } = 70;

    public double Challenge { get; set; } = 45;

    public double Suspend { get; set; } = 25;

    public double Hysteresis { get; set; } = 10;

    internal IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        ScoringPolicy.Require(errors, Throttle is > 0 and <= 100, "Policy:Thresholds:Throttle must be in (0, 100].");
        ScoringPolicy.Require(errors, Throttle > Challenge && Challenge > Suspend && Suspend > 0,
            "Policy:Thresholds must satisfy Throttle > Challenge > Suspend > 0.");
        ScoringPolicy.Require(errors, Hysteresis is >= 0 and < 50, "Policy:Thresholds:Hysteresis must be in [0, 50).");
        return errors;
    }
}

/// <summary>Rules for accounts that have just registered: the white paper's most certain case.</summary>
public sealed class NewAccountPolicy
{
    /// <summary>An account younger than this that makes <see cref="BurstAttempts15s"/> attempts in 15 seconds is banned at once.</summary>
    public TimeSpan BurstBanMaxAge { get; set; } = TimeSpan.FromHours(1);

    public int BurstAttempts15s { get; set; } = 50;

    /// <summary>Accounts younger than this have their behavioural risk multiplied by <see cref="RiskMultiplier"/>.</summary>
    public TimeSpan YoungFor { get; set; } = TimeSpan.FromHours(24);

    public double RiskMultiplier { get; set; } = 1.5;

    /// <summary>VoIP registrations count as a signal for this long.</summary>
    public TimeSpan VoipSignalFor { get; set; } = TimeSpan.FromDays(7);

    internal IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        ScoringPolicy.Require(errors, BurstBanMaxAge >= TimeSpan.Zero, "Policy:NewAccount:BurstBanMaxAge must not be negative.");
        ScoringPolicy.Require(errors, BurstAttempts15s >= 2, "Policy:NewAccount:BurstAttempts15s must be at least 2.");
        ScoringPolicy.Require(errors, YoungFor >= TimeSpan.Zero, "Policy:NewAccount:YoungFor must not be negative.");
        ScoringPolicy.Require(errors, RiskMultiplier >= 1, "Policy:NewAccount:RiskMultiplier must be at least 1.");
        ScoringPolicy.Require(errors, VoipSignalFor >= TimeSpan.Zero, "Policy:NewAccount:VoipSignalFor must not be negative.");
        return errors;
    }
}

/// <summary>
/// Business accounts: they legitimately message many people, so their send-rate limits are stretched, and instead they
/// have a tier that limits how many people they may start conversations with in a rolling day, and a quality rating
/// from the negative feedback of the people they reach.
/// </summary>
public sealed class BusinessPolicy
{
    /// <summary>The highest tier; its limit is unlimited.</summary>
    public const int MaxTier = 5;

    /// <summary>Multiplies the start and full points of every send-rate signal for business accounts.</summary>
    public double VelocityMultiplier { get; set; } = 10;

    /// <summary>What automation signals (no typing, clockwork timing) count for against a business (1 = in full): businesses send through APIs.</summary>
    public double AutomationWeight { get; set; }

    /// <summary>Distinct people a tier-1 business may start conversations with in a rolling 24 hours; every business starts here.</summary>
    public int Tier1Limit { get; set; } = 250;

    public int Tier2Limit { get; set; } = 1_000;

    public int Tier3Limit { get; set; } = 10_000;

    /// <summary>The limit of tier 4; tier 5 has none.</summary>
    public int Tier4Limit { get; set; } = 100_000;

    /// <summary>The tier a business whose identity was verified is raised to at least.</summary>
    public int BasicVerifiedTier { get; set; } = 2;

    /// <summary>The tier an officially, fully verified business is raised to at least.</summary>
    public int FullyVerifiedTier { get; set; } = 3;

    /// <summary>A business that opened at least this share of its limit within <see cref="UpgradeWindow"/> at medium or high quality is due an upgrade.</summary>
    public double UpgradeUsedShare { get; set; } = 0.5;

    public TimeSpan UpgradeWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after first meeting the upgrade condition the tier goes up, if it still holds then: a limit is never raised within the day it is reached.</summary>
    public TimeSpan UpgradeAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a business is held at its tier at low quality before it moves down one (and again for each further such period).</summary>
    public TimeSpan DowngradeAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How far back the quality rating looks; at most 7 days, the feedback a business keeps.</summary>
    public TimeSpan QualityWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Feedback this old counts half as much as today's: the rating follows what a business does now.</summary>
    public TimeSpan QualityHalfLife { get; set; } = TimeSpan.FromDays(2);

    private QualityDecay? _qualityDecay; // replaced whole, so a thread reads weights made for the half-life it compared

    /// <summary>
    /// The weight of each quality bucket <paramref name="bucketMs"/> wide by its age in buckets, from
    /// <see cref="QualityHalfLife"/>: made once and shared, since every business's send check weighs all its buckets.
    /// </summary>
    internal double[] QualityWeights(long bucketMs, int buckets)
    {
        var decay = _qualityDecay;
        if (decay is null || decay.HalfLife != QualityHalfLife || decay.BucketMs != bucketMs || decay.Weights.Length != buckets)
        {
            var weights = new double[buckets];
            for (var age = 0; age < buckets; age++)
            {
                weights[age] = Math.Pow(0.5, age * bucketMs / QualityHalfLife.TotalMilliseconds);
            }

            _qualityDecay = decay = new QualityDecay(QualityHalfLife, bucketMs, weights);
        }

        return decay.Weights;
    }

    private sealed record QualityDecay(TimeSpan HalfLife, long BucketMs, double[] Weights);

    /// <summary>The rate is taken over at least this many recipients reached, so a handful of complaints about a small business is not a collapse.</summary>
    public double QualityMinimumRecipients { get; set; } = 50;

    /// <summary>Weighted negative feedback per recipient reached at which quality is medium.</summary>
    public double QualityMediumAt { get; set; } = 0.02;

    /// <summary>Weighted negative feedback per recipient reached at which quality is low.</summary>
    public double QualityLowAt { get; set; } = 0.05;

    /// <summary>What an opt-out counts for against quality, a block or report from someone reached counting 1.</summary>
    public double OptOutWeight { get; set; } = 0.5;

    /// <summary>What a business-initiated message to someone who opted out counts for: ignoring an opt-out is worse than a complaint.</summary>
    public double OptedOutMessageWeight { get; set; } = 5;

    /// <summary>The limit of a tier, or null for unlimited.</summary>
    public int? LimitOf(int tier) => tier switch
    {
        <= 1 => Tier1Limit,
        2 => Tier2Limit,
        3 => Tier3Limit,
        4 => Tier4Limit,
        _ => null,
    };

    internal IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        ScoringPolicy.Require(errors, VelocityMultiplier >= 1, "Policy:Business:VelocityMultiplier must be at least 1.");
        ScoringPolicy.Require(errors, AutomationWeight is >= 0 and <= 1, "Policy:Business:AutomationWeight must be between 0 and 1.");
        ScoringPolicy.Require(errors, Tier1Limit >= 1 && Tier1Limit < Tier2Limit && Tier2Limit < Tier3Limit && Tier3Limit < Tier4Limit,
            "Policy:Business tier limits must satisfy 1 <= Tier1Limit < Tier2Limit < Tier3Limit < Tier4Limit.");
        ScoringPolicy.Require(errors, BasicVerifiedTier is >= 1 and <= MaxTier && FullyVerifiedTier >= BasicVerifiedTier && FullyVerifiedTier <= MaxTier,
            $"Policy:Business:BasicVerifiedTier and FullyVerifiedTier must be tiers 1 to {MaxTier}, the full one no lower.");
        ScoringPolicy.Require(errors, UpgradeUsedShare is > 0 and <= 1, "Policy:Business:UpgradeUsedShare must be in (0, 1].");
        ScoringPolicy.Require(errors, UpgradeWindow > TimeSpan.Zero && UpgradeWindow <= BusinessTrack.Kept,
            "Policy:Business:UpgradeWindow must be a positive duration of at most 7 days.");
        ScoringPolicy.Require(errors, UpgradeAfter >= TimeSpan.Zero, "Policy:Business:UpgradeAfter must not be negative.");
        ScoringPolicy.Require(errors, DowngradeAfter > TimeSpan.Zero, "Policy:Business:DowngradeAfter must be a positive duration.");
        ScoringPolicy.Require(errors, QualityWindow > TimeSpan.Zero && QualityWindow <= BusinessTrack.Kept,
            "Policy:Business:QualityWindow must be a positive duration of at most 7 days.");
        ScoringPolicy.Require(errors, QualityHalfLife > TimeSpan.Zero, "Policy:Business:QualityHalfLife must be a positive duration.");
        ScoringPolicy.Require(errors, QualityMinimumRecipients >= 1, "Policy:Business:QualityMinimumRecipients must be at least 1.");
        ScoringPolicy.Require(errors, QualityMediumAt > 0 && QualityLowAt > QualityMediumAt, "Policy:Business must satisfy 0 < QualityMediumAt < QualityLowAt.");
        ScoringPolicy.Require(errors, OptOutWeight >= 0 && OptedOutMessageWeight >= 0, "Policy:Business:OptOutWeight and OptedOutMessageWeight must not be negative.");
        return errors;
    }
}

/// <summary>
/// When refused attempts that go on and on turn a throttle into a challenge and then a suspension, and how
/// challenges are answered. One episode of throttling must stay below every threshold here.
/// </summary>
public sealed class EscalationPolicy
{
    /// <summary>
    /// How long an account must keep trying while every attempt is refused (no delivery, pass or engaged reply in between), and its
    /// current behaviour alone still calls for a throttle, for it to be persistent pressure on the limits.
    /// </summary>
    public TimeSpan RefusedFor { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// As <see cref="RefusedFor"/>, while the behaviour that caused the throttle has passed and only the score is
    /// still recovering: an honest burst (an organiser filling groups) holds its throttle well within this.
    /// </summary>
    public TimeSpan RefusedWhileRecoveringFor { get; set; } = TimeSpan.FromMinutes(90);

    /// <summary>
    /// As <see cref="RefusedFor"/>, while people the account messaged reported or blocked it and most of its recipients
    /// ignore it, or almost nobody it started messaging answers (the <c>reported_while_ignored</c>,
    /// <c>negative_feedback_ratio</c> or <c>unanswered_recipients</c> signal counts), whatever the score.
    /// </summary>
    public TimeSpan RefusedWhileReportedFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>As <see cref="RefusedFor"/>, within <see cref="PassMemory"/> of a passed challenge: pressure then suspends.</summary>
    public TimeSpan WarnedRefusedFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Refused attempts the run needs besides its length, so that two tries half an hour apart are not pressure.</summary>
    public int MinimumRefusals { get; set; } = 3;

    /// <summary>Refused attempts in one run that are pressure however short it is (hammering at the limit).</summary>
    public int RefusedAttempts { get; set; } = 60;

    /// <summary>A challenge neither passed nor failed within this long escalates to a suspension.</summary>
    public TimeSpan ChallengeTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a passed challenge is remembered: pressure on the limits within it suspends instead of challenging
    /// again, and automation signals weigh <see cref="PassedAutomationWeight"/> of their points.
    /// </summary>
    public TimeSpan PassMemory { get; set; } = TimeSpan.FromHours(24);

    /// <summary>What automation signals (no typing, clockwork timing) count for after a passed challenge (1 = in full).</summary>
    public double PassedAutomationWeight { get; set; } = 0.5;

    internal IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        ScoringPolicy.Require(errors, RefusedFor > TimeSpan.Zero, "Policy:Escalation:RefusedFor must be a positive duration.");
        ScoringPolicy.Require(errors, WarnedRefusedFor > TimeSpan.Zero && WarnedRefusedFor <= RefusedFor,
            "Policy:Escalation:WarnedRefusedFor must be a positive duration no longer than RefusedFor.");
        ScoringPolicy.Require(errors, RefusedWhileReportedFor > TimeSpan.Zero && RefusedWhileReportedFor <= RefusedFor,
            "Policy:Escalation:RefusedWhileReportedFor must be a positive duration no longer than RefusedFor.");
        ScoringPolicy.Require(errors, RefusedWhileRecoveringFor >= RefusedFor, "Policy:Escalation:RefusedWhileRecoveringFor must not be shorter than RefusedFor.");
        ScoringPolicy.Require(errors, MinimumRefusals >= 2, "Policy:Escalation:MinimumRefusals must be at least 2: one refusal is not a run.");
        ScoringPolicy.Require(errors, RefusedAttempts >= MinimumRefusals, "Policy:Escalation:RefusedAttempts must be at least MinimumRefusals.");
        ScoringPolicy.Require(errors, ChallengeTimeout > TimeSpan.Zero, "Policy:Escalation:ChallengeTimeout must be a positive duration.");
        ScoringPolicy.Require(errors, PassMemory >= TimeSpan.Zero, "Policy:Escalation:PassMemory must not be negative.");
        ScoringPolicy.Require(errors, PassedAutomationWeight is >= 0 and <= 1, "Policy:Escalation:PassedAutomationWeight must be between 0 and 1.");
        return errors;
    }
}

/// <summary>
/// How much a report or block counts by the standing of who gave it, so that a farm of young or actioned accounts
/// cannot report an honest account into a suspension. The weight multiplies <see cref="ScoringPolicy.UncorroboratedFeedbackWeight"/>
/// for feedback from people the account never messaged.
/// </summary>
public sealed class FeedbackPolicy
{
    /// <summary>A reporter registered less than this before its feedback is young.</summary>
    public TimeSpan YoungReporterFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>What feedback from a young account counts for (1 = in full).</summary>
    public double YoungReporterWeight { get; set; } = 0.1;

    /// <summary>What feedback from a suspended or banned account counts for (1 = in full).</summary>
    public double ActionedReporterWeight { get; set; } = 0.1;

    /// <summary>The least a reporter's feedback can count for: what each person left out of a flood counts for.</summary>
    public double LeastWeight => Math.Min(YoungReporterWeight, ActionedReporterWeight);

    /// <summary>What one person's feedback counts for: the lesser weight of everything that holds for them.</summary>
    public double WeightOf(ReporterStanding standing)
    {
        var weight = 1.0;
        weight = (standing & ReporterStanding.Young) != 0 ? Math.Min(weight, YoungReporterWeight) : weight;
        return (standing & ReporterStanding.Actioned) != 0 ? Math.Min(weight, ActionedReporterWeight) : weight;
    }

    internal IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        ScoringPolicy.Require(errors, YoungReporterFor >= TimeSpan.Zero, "Policy:Feedback:YoungReporterFor must not be negative.");
        ScoringPolicy.Require(errors, YoungReporterWeight is >= 0 and <= 1, "Policy:Feedback:YoungReporterWeight must be between 0 and 1.");
        ScoringPolicy.Require(errors, ActionedReporterWeight is >= 0 and <= 1, "Policy:Feedback:ActionedReporterWeight must be between 0 and 1.");
        return errors;
    }
}

/// <summary>
/// Which judgements keep a snapshot of the account's named features for training models, and for how long: every
/// change of action and a sample of ordinary decisions, each bounded per account.
/// </summary>
public sealed class SnapshotPolicy
{
    /// <summary>One send check in this many (per account activation) keeps a snapshot; 0 keeps none.</summary>
    public int SampleEvery { get; set; } = 50;

    /// <summary>
    /// Event time between two snapshots of an account, except for a challenge, suspension or ban, which always keeps one:
    /// an account hammering its limits would otherwise queue a write per few checks.
    /// </summary>
    public TimeSpan MinimumGap { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Snapshots kept per account of each kind (changes of action, sampled decisions): the oldest go first.</summary>
    public int PerAccount { get; set; } = 16;

    /// <summary>Snapshots older than this, in event time, before the account's newest are dropped.</summary>
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(90);

    internal IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        ScoringPolicy.Require(errors, SampleEvery >= 0, "Policy:Snapshots:SampleEvery must not be negative.");
        ScoringPolicy.Require(errors, PerAccount is >= 1 and <= 256, "Policy:Snapshots:PerAccount must be between 1 and 256.");
        ScoringPolicy.Require(errors, KeepFor > TimeSpan.Zero, "Policy:Snapshots:KeepFor must be a positive duration.");
        ScoringPolicy.Require(errors, MinimumGap >= TimeSpan.Zero, "Policy:Snapshots:MinimumGap must not be negative.");
        return errors;
    }
}
