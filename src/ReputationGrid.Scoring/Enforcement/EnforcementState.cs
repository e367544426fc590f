using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Enforcement;

/// <summary>
/// An account's standing: its smoothed score, the automatic action with hysteresis, suspensions,
/// any operator override, and a bounded history of changes.
/// </summary>
public sealed class EnforcementState
{
    public const int HistoryCapacity = 50;
    private const int SuspensionMemory = 8;
    private const int MaxReasons = SignalRegistry.Count + 3; // repeat_offender, an escalation or a hard rule, then every signal
    private static readonly ReasonCode[] NoReasons = [];

    // Both lists are created with their first entry: most accounts never get one, and every account pays for an empty list.
    private List<HistoryEntry>? _history;
    private List<DateTimeOffset>? _suspensions; // recent automatic suspensions, for repeat offences

    /// <summary>The score as of <see cref="ScoreAt"/>; 100 until the account is first judged.</summary>
    public double Score { get; private set; } = 100;

    public DateTimeOffset? ScoreAt { get; private set; }

    public EnforcementAction AutomaticAction { get; private set; }

    public ReasonCode[] AutomaticReasons { get; private set; } = NoReasons;

    public DateTimeOffset? AutomaticSince { get; private set; }

    public DateTimeOffset? SuspendedUntil { get; private set; }

    public OperatorOverride? Override { get; private set; }

    /// <summary>When the automatic challenge in force was first shown, by refusing a send for it; its timeout runs from then.</summary>
    public DateTimeOffset? ChallengeShownAt { get; private set; }

    public IReadOnlyList<HistoryEntry> History => _history ?? (IReadOnlyList<HistoryEntry>)[];

    private IReadOnlyList<DateTimeOffset> Suspensions => _suspensions ?? (IReadOnlyList<DateTimeOffset>)[];

    /// <summary>
    /// Judges the account at <paramref name="at"/> given the risk found then and the behaviour it was found in (refused
    /// attempts and answers to challenges escalate). Changes nothing.
    /// </summary>
    public Verdict Judge(DateTimeOffset at, in RiskAssessment risk, in Features features, ScoringPolicy policy)
    {
        var score = ScoreFor(at, risk, features, policy);
        var action = AutomaticAction;
        var reasons = AutomaticReasons;
        var until = SuspendedUntil;
        var startsSuspension = false;
        var takesEffect = at;

        if (action == EnforcementAction.Ban)
        {
            // An automatic ban stands until an operator clears it.
        }
        else if (risk.HardRule is not null)
        {
            action = EnforcementAction.Ban;
            reasons = risk.Reasons(policy.ReasonMinimumPoints);
            until = null;
        }
        else if (action == EnforcementAction.Suspend && at < SuspendedUntil)
        {
            // Serving a suspension: it runs its course.
        }
        else
        {
            var level = Level(score, action, policy.Thresholds);
            var escalation = Escalation(at, risk, features, policy, ref level, ref takesEffect);
            if (level == EnforcementAction.Suspend)
            {
                startsSuspension = true;
                until = takesEffect + policy.SuspendFor;
                if (RecentSuspensions(takesEffect, policy.RepeatOffenceWindow) + 1 >= policy.SuspensionsBeforeBan)
                {
                    level = EnforcementAction.Ban;
                    until = null;
                    startsSuspension = false;
                }
            }
            else
            {
                until = null;
            }

            if (level != action || startsSuspension)
            {
                reasons = level switch
                {
                    EnforcementAction.Allow => NoReasons,
                    EnforcementAction.Ban => escalation is { } cause ? [ReasonCode.RepeatOffender, cause, .. Signals(risk, policy)] : [ReasonCode.RepeatOffender, .. Explain(risk, policy)],
                    _ => escalation is { } cause ? [cause, .. Signals(risk, policy)] : Explain(risk, policy),
                };
            }
            else if (escalation is null && level != EnforcementAction.Allow && risk.Count > 0 && risk.Points >= 100 - Threshold(level, policy.Thresholds))
            {
                // Still held by the current behaviour: report what drives it now.
                reasons = ExplainAgain(risk, policy, reasons);
            }

            action = level;
        }

        // A challenge still called for after the last one was passed is a new challenge: it needs a pass of its own.
        var renewed = action == EnforcementAction.Challenge && features.ChallengePassedAt >= AutomaticSince;
        var since = action != AutomaticAction || startsSuspension || renewed ? takesEffect : AutomaticSince;
        var automatic = new Standing(action, reasons, since, until);
        return new Verdict(at, score, automatic, startsSuspension, Effective(automatic, at));
    }

    /// <summary>
    /// Raises <paramref name="level"/> where the answer to a challenge, or pressure kept up against the limits, calls for
    /// more than the score does, and returns the reason it did. A challenge that was failed, or left unanswered past
    /// the timeout after it was first shown (a person who is not sending has not been asked), suspends; one raised by
    /// pressure holds until it is answered. Pressure challenges, and suspends when the account passed a challenge
    /// recently, for then a person is behind it and was warned. Pressure never comes of refusals that unverified feedback
    /// alone causes. An unanswered challenge suspends from the moment its
    /// timeout ran out (<paramref name="takesEffect"/>), not from the next attempt that found it so.
    /// </summary>
    private ReasonCode? Escalation(DateTimeOffset at, in RiskAssessment risk, in Features features, ScoringPolicy policy, ref EnforcementAction level, ref DateTimeOffset takesEffect)
    {
        var escalation = policy.Escalation;
        if (AutomaticAction == EnforcementAction.Challenge && AutomaticSince is { } challenged && !(features.ChallengePassedAt >= challenged))
        {
            if (features.ChallengeFailedAt >= challenged)
            {
                level = EnforcementActions.MoreSevere(level, EnforcementAction.Suspend);
                return ReasonCode.ChallengeFailed;
            }

            if (ChallengeShownAt is { } shown && shown >= challenged && at - shown >= escalation.ChallengeTimeout)
            {
                level = EnforcementActions.MoreSevere(level, EnforcementAction.Suspend);
                takesEffect = shown + escalation.ChallengeTimeout;
                return ReasonCode.ChallengeUnanswered;
            }

            if (AutomaticReasons is [ReasonCode.PersistentThrottling, ..])
            {
                level = EnforcementActions.MoreSevere(level, EnforcementAction.Challenge);
                return ReasonCode.PersistentThrottling;
            }
        }

        // A person who passed a challenge was warned: a third challenge within the pass's memory suspends (one pass may
        // meet a challenge the risk still calls for), and keeping the pattern up for less time is enough. Refusals while
        // only a past burst's score is still recovering press more slowly than behaviour that still calls for a throttle.
        var warned = features.ChallengePassedAt is { } passed && at - passed < escalation.PassMemory;
        var newChallenge = AutomaticAction != EnforcementAction.Challenge || features.ChallengePassedAt >= AutomaticSince;
        if (warned && level == EnforcementAction.Challenge && newChallenge && ChallengesSince(at - escalation.PassMemory) >= 2)
        {
            level = EnforcementAction.Suspend;
            return ReasonCode.ChallengeRepeated;
        }

        if (risk.OnlyUnverifiedFeedbackThrottles(policy.Thresholds))
        {
            return null; // reports from strangers alone may hold an account at a throttle, never press it further
        }

        // Reports and blocks from the account's own recipients while most of them ignore it, or almost nobody it just
        // started messaging answering, are people showing its messages are unwanted: trying on against them presses
        // sooner, and is no recovery while a stray reply eases the score.
        var unwantedByRecipients = risk.PointsOf(ReasonCode.ReportedWhileIgnored) > 0 || risk.PointsOf(ReasonCode.NegativeFeedbackRatio) > 0
            || risk.PointsOf(ReasonCode.UnansweredRecipients) > 0;
        var stillThrottled = risk.HardRule is null && risk.Points >= 100 - policy.Thresholds.Throttle;
        var refusedFor = warned ? escalation.WarnedRefusedFor
            : unwantedByRecipients ? escalation.RefusedWhileReportedFor
            : stillThrottled ? escalation.RefusedFor
            : escalation.RefusedWhileRecoveringFor;
        var pressed = features.RefusalsInRun >= escalation.RefusedAttempts
            || (features.RefusalsInRun >= escalation.MinimumRefusals && features.RefusingForMinutes >= refusedFor.TotalMinutes);
        if (!pressed)
        {
            return null;
        }

        var escalated = warned ? EnforcementAction.Suspend : EnforcementAction.Challenge;
        if (escalated.Severity() <= level.Severity())
        {
            return null;
        }

        level = escalated;
        return ReasonCode.PersistentThrottling;
    }

    /// <summary>Notes that a send was refused at <paramref name="at"/> for the automatic challenge in force, so the person has seen it.</summary>
    public void NoteChallengeShown(DateTimeOffset at)
    {
        if (AutomaticAction == EnforcementAction.Challenge && !(ChallengeShownAt >= AutomaticSince))
        {
            ChallengeShownAt = at;
        }
    }

    /// <summary>Adopts a verdict and says what changed: nothing, the throttle, or the account's standing.</summary>
    public EnforcementChange Apply(in Verdict verdict, ScoringPolicy policy)
    {
        if (ScoreAt is null || verdict.At >= ScoreAt)
        {
            Score = verdict.Score;
            ScoreAt = verdict.At;
        }

        if (Override is { Command: OperatorCommand.Suspend } expired && verdict.At >= expired.Until)
        {
            Override = null;
        }

        var change = ChangeOf(AutomaticAction, AutomaticSince, verdict);
        (AutomaticAction, AutomaticReasons, AutomaticSince, SuspendedUntil) = verdict.Automatic;
        if (verdict.StartsSuspension)
        {
            (_suspensions ??= []).Add(verdict.Automatic.Since ?? verdict.At);
            if (_suspensions.Count > SuspensionMemory)
            {
                _suspensions.RemoveAt(0);
            }
        }

        if (change != EnforcementChange.None)
        {
            AddHistory(new HistoryEntry(verdict.Automatic.Since ?? verdict.At, verdict.Automatic.Action, verdict.Automatic.Reasons, PolicyActor(policy), null));
        }

        return change;
    }

    /// <summary>What adopting <paramref name="verdict"/> changes; the same action from a new moment (a renewed challenge) is a new standing.</summary>
    private static EnforcementChange ChangeOf(EnforcementAction current, DateTimeOffset? since, in Verdict verdict)
    {
        var next = verdict.Automatic.Action;
        if (next == current && verdict.Automatic.Since == since && !verdict.StartsSuspension)
        {
            return EnforcementChange.None;
        }

        var throttle = EnforcementAction.Throttle.Severity();
        return current.Severity() <= throttle && next.Severity() <= throttle
            ? EnforcementChange.Throttle
            : EnforcementChange.Standing;
    }

    /// <summary>Records an operator's action. Clearing also lifts automatic actions and restores the score.</summary>
    public void ApplyOverride(OperatorCommand command, DateTimeOffset at, string by, string? note, DateTimeOffset? until)
    {
        if (command == OperatorCommand.SetTier)
        {
            throw new ArgumentException("Setting a tier is not an override: see AccountReputation.SetBusinessTier.", nameof(command));
        }

        if (command == OperatorCommand.Suspend && until is null)
        {
            throw new ArgumentException("A suspension needs an end time.", nameof(until));
        }

        EnforcementAction action;
        switch (command)
        {
            case OperatorCommand.Clear:
                Override = null;
                AutomaticAction = EnforcementAction.Allow;
                AutomaticReasons = NoReasons;
                AutomaticSince = at;
                SuspendedUntil = null;
                ChallengeShownAt = null;
                _suspensions = null;
                Score = 100;
                ScoreAt = at;
                action = EnforcementAction.Allow;
                break;
            default:
                Override = new OperatorOverride(command, at, by, note ?? "", command == OperatorCommand.Suspend ? until : null);
                action = command switch
                {
                    OperatorCommand.Ban => EnforcementAction.Ban,
                    OperatorCommand.Suspend => EnforcementAction.Suspend,
                    _ => EnforcementAction.Allow,
                };
                break;
        }

        AddHistory(new HistoryEntry(at, action, [OperatorReason(command)], by, note));
    }

    /// <summary>Who acts for the automatic policy in the history: one string per policy, shared by every account's history.</summary>
    public static string PolicyActor(ScoringPolicy policy) => policy.ActorName();

    /// <summary>
    /// Notes a change of a business's tier or quality rating in the history, under the automatic action in force: it
    /// changes what the business may send, not its standing.
    /// </summary>
    public void NoteBusinessChange(DateTimeOffset at, ReasonCode reason, string by, string note) =>
        AddHistory(new HistoryEntry(at, AutomaticAction, [reason], by, note));

    /// <summary>Writes the enforcement part of the state, in <see cref="AccountStateCodec.Current"/>.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(Score);
        WriteTime(writer, ScoreAt);
        writer.Write(AccountStateCodec.CodeOf(AutomaticAction));
        WriteReasons(writer, AutomaticReasons);
        WriteTime(writer, AutomaticSince);
        WriteTime(writer, SuspendedUntil);
        writer.Write7BitEncodedInt(Suspensions.Count);
        foreach (var suspension in Suspensions)
        {
            writer.Write(EventTime.ToMs(suspension));
        }

        writer.Write(Override is not null);
        if (Override is not null)
        {
            writer.Write(AccountStateCodec.CodeOf(Override.Command));
            writer.Write(EventTime.ToMs(Override.At));
            writer.Write(Override.By);
            writer.Write(Override.Note);
            WriteTime(writer, Override.Until);
        }

        writer.Write7BitEncodedInt(History.Count);
        foreach (var entry in History)
        {
            writer.Write(EventTime.ToMs(entry.At));
            writer.Write(AccountStateCodec.CodeOf(entry.Action));
            WriteReasons(writer, entry.Reasons);
            writer.Write(entry.By);
            AccountBehaviour.WriteOptional(writer, entry.Note);
        }

        WriteTime(writer, ChallengeShownAt);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; formats before <see cref="StateFormat.ChallengeOutcomes"/> end before the challenge's shown time.</summary>
    internal void Read(BinaryReader reader, StateFormat format)
    {
        Score = reader.ReadDouble();
        ScoreAt = ReadTime(reader);
        AutomaticAction = AccountStateCodec.ActionOf(reader.ReadByte());
        AutomaticReasons = ReadReasons(reader);
        AutomaticSince = ReadTime(reader);
        SuspendedUntil = ReadTime(reader);
        _suspensions = null;
        var suspensions = ReadCount(reader, SuspensionMemory, "suspensions");
        for (var i = 0; i < suspensions; i++)
        {
            (_suspensions ??= []).Add(EventTime.FromMs(reader.ReadInt64()));
        }

        Override = reader.ReadBoolean()
            ? new OperatorOverride(AccountStateCodec.CommandOf(reader.ReadByte()), EventTime.FromMs(reader.ReadInt64()), reader.ReadString(), reader.ReadString(), ReadTime(reader))
            : null;

        _history = null;
        var entries = ReadCount(reader, HistoryCapacity, "history entries");
        for (var i = 0; i < entries; i++)
        {
            (_history ??= []).Add(new HistoryEntry(
                EventTime.FromMs(reader.ReadInt64()), AccountStateCodec.ActionOf(reader.ReadByte()), ReadReasons(reader), reader.ReadString(), AccountBehaviour.ReadOptional(reader)));
        }

        ChallengeShownAt = format >= StateFormat.ChallengeOutcomes ? ReadTime(reader) : null;
    }

    private double ScoreFor(DateTimeOffset at, in RiskAssessment risk, in Features features, ScoringPolicy policy)
    {
        // The score falls at once with risk and climbs back at a bounded rate: past abuse decays, it is not forgotten instantly.
        var instant = risk.HardRule is null ? Math.Clamp(100 - risk.Points, 0, 100) : 0;
        var elapsedHours = ScoreAt is { } then ? Math.Max(0, (at - then).TotalHours) : 0;
        var recovered = ScoreAt is null ? 100 : Math.Min(100, Score + policy.RecoveryPointsPerHour * elapsedHours);
        if (AutomaticAction == EnforcementAction.Challenge && features.ChallengePassedAt >= AutomaticSince)
        {
            // A passed challenge lifts it: the score climbs to where the challenge ends, and falls again only with new risk.
            recovered = Math.Max(recovered, policy.Thresholds.Challenge + policy.Thresholds.Hysteresis);
        }

        return Math.Round(Math.Min(instant, recovered), 1);
    }

    private static EnforcementAction Level(double score, EnforcementAction current, ActionThresholds thresholds)
    {
        var enter = LevelBelow(score, thresholds, 0);
        if (enter.Severity() >= current.Severity())
        {
            return enter;
        }

        // Step down only as far as the score has cleared each threshold by the hysteresis margin.
        var cleared = LevelBelow(score, thresholds, thresholds.Hysteresis);
        return EnforcementActions.MoreSevere(enter, EnforcementActions.LessSevere(current, cleared));
    }

    private static EnforcementAction LevelBelow(double score, ActionThresholds thresholds, double margin) =>
        score < thresholds.Suspend + margin ? EnforcementAction.Suspend
        : score < thresholds.Challenge + margin ? EnforcementAction.Challenge
        : score < thresholds.Throttle + margin ? EnforcementAction.Throttle
        : EnforcementAction.Allow;

    private static double Threshold(EnforcementAction level, ActionThresholds thresholds) => level switch
    {
        EnforcementAction.Throttle => thresholds.Throttle,
        EnforcementAction.Challenge => thresholds.Challenge,
        _ => thresholds.Suspend,
    };

    private static ReasonCode[] Explain(in RiskAssessment risk, ScoringPolicy policy) =>
        risk.Count > 0 || risk.HardRule is not null ? risk.Reasons(policy.ReasonMinimumPoints) : [ReasonCode.ScoreRecovered];

    /// <summary>
    /// The reasons of a risk with contributions, as the <paramref name="held"/> array when they are the same: an account
    /// held at an action is explained again by every check, and a new array each time would be a young object kept by a
    /// long-lived one.
    /// </summary>
    private static ReasonCode[] ExplainAgain(in RiskAssessment risk, ScoringPolicy policy, ReasonCode[] held)
    {
        Span<ReasonCode> reasons = stackalloc ReasonCode[RiskAssessment.MaxReasons];
        var explained = reasons[..risk.WriteReasons(policy.ReasonMinimumPoints, reasons)];
        return explained.SequenceEqual(held) ? held : explained.ToArray();
    }

    private static ReasonCode[] Signals(in RiskAssessment risk, ScoringPolicy policy) => risk.Count > 0 ? risk.Reasons(policy.ReasonMinimumPoints) : NoReasons;

    /// <summary>What takes effect at <paramref name="at"/>: an operator's override while it stands, else the automatic standing.</summary>
    private Standing Effective(in Standing automatic, DateTimeOffset at) => Override switch
    {
        { Command: OperatorCommand.Ban } ban => new(EnforcementAction.Ban, [ReasonCode.OperatorBan], ban.At, null),
        { Command: OperatorCommand.Suspend } suspend when at < suspend.Until => new(EnforcementAction.Suspend, [ReasonCode.OperatorSuspend], suspend.At, suspend.Until),
        { Command: OperatorCommand.Allowlist } allow => new(EnforcementAction.Allow, NoReasons, allow.At, null),
        _ => automatic,
    };

    private int ChallengesSince(DateTimeOffset from) => History.Count(entry => entry.Action == EnforcementAction.Challenge && entry.At >= from);

    private int RecentSuspensions(DateTimeOffset at, TimeSpan window) => Suspensions.Count(s => at - s < window);

    private void AddHistory(HistoryEntry entry)
    {
        (_history ??= []).Add(entry);
        if (_history.Count > HistoryCapacity)
        {
            _history.RemoveAt(0);
        }
    }

    private static ReasonCode OperatorReason(OperatorCommand command) => command switch
    {
        OperatorCommand.Ban => ReasonCode.OperatorBan,
        OperatorCommand.Suspend => ReasonCode.OperatorSuspend,
        OperatorCommand.Allowlist => ReasonCode.OperatorAllowlist,
        _ => ReasonCode.OperatorClear,
    };

    private static void WriteTime(BinaryWriter writer, DateTimeOffset? at) => writer.Write(at is { } value ? EventTime.ToMs(value) : long.MinValue);

    private static DateTimeOffset? ReadTime(BinaryReader reader) => reader.ReadInt64() is var ms && ms == long.MinValue ? null : EventTime.FromMs(ms);

    private static void WriteReasons(BinaryWriter writer, IReadOnlyList<ReasonCode> reasons)
    {
        writer.Write7BitEncodedInt(reasons.Count);
        foreach (var reason in reasons)
        {
            writer.Write((byte)reason);
        }
    }

    private static ReasonCode[] ReadReasons(BinaryReader reader)
    {
        var count = ReadCount(reader, MaxReasons, "reasons");
        var reasons = new ReasonCode[count];
        for (var i = 0; i < count; i++)
        {
            reasons[i] = (ReasonCode)reader.ReadByte();
        }

        return reasons;
    }

    private static int ReadCount(BinaryReader reader, int max, string what) => reader.Read7BitEncodedInt() is var count && count >= 0 && count <= max
        ? count
        : throw new InvalidDataException($"{count} {what} exceed the limit of {max}.");
}
