using System.Diagnostics;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Traffic;

namespace ReputationGrid.Simulator.Running;

/// <summary>A score seen in a decision, for the score-over-time picture.</summary>
public readonly record struct ScorePoint(DateTimeOffset At, double Score, EnforcementAction Action);

/// <summary>What happened to one simulated account.</summary>
/// <param name="FirstAt">When the account first reached each action level or worse, indexed by <see cref="EnforcementAction"/>.</param>
/// <param name="FirstActionReasons">The reasons given with the first action, empty when never actioned.</param>
/// <param name="DeliveredBefore">Messages delivered before each level was first reached (all delivered when never reached), indexed like <paramref name="FirstAt"/>.</param>
/// <param name="ThrottledFor">How long the account was told to wait by throttles, overlapping waits counted once.</param>
/// <param name="Planned">Messages its script set out to send (one that backs off when refused attempts fewer).</param>
/// <param name="TierLimited">Send checks a business was refused for its tier's limit; these are not actions on the account.</param>
/// <param name="MostOpenedIn24h">The most people a business opened conversations with in any 24 hours, counting each person once.</param>
/// <param name="BusinessTier">The tier a business ended the run at; null for a person.</param>
/// <param name="BusinessLimit">The limit of that tier; null for a person or an unlimited tier.</param>
public sealed record AccountOutcome(
    string Account,
    AccountKind Kind,
    DateTimeOffset? Onset,
    int Attempts,
    int Delivered,
    IReadOnlyList<DateTimeOffset?> FirstAt,
    IReadOnlyList<ReasonCode> FirstActionReasons,
    IReadOnlyList<int> DeliveredBefore,
    string? PolicyVersion,
    IReadOnlyList<ScorePoint>? Scores,
    TimeSpan ThrottledFor,
    int Planned,
    int TierLimited = 0,
    int MostOpenedIn24h = 0,
    int? BusinessTier = null,
    int? BusinessLimit = null)
{
    public EnforcementAction WorstAction =>
        Enum.GetValues<EnforcementAction>().LastOrDefault(level => FirstAt[(int)level] is not null);

    public DateTimeOffset? FirstActionAt => FirstAt[(int)EnforcementAction.Throttle];
}

/// <summary>One account's run: its outcome, the client-side latency of each decision, and how many events and checks it sent.</summary>
public sealed record AccountRun(AccountOutcome Outcome, long[] DecisionTicks, int Operations);

/// <summary>
/// Plays one account's script against a target, in event-time order: events due before a send are
/// recorded first, then the send is checked; recipients' reactions are scheduled only for delivered
/// messages. Every message the account tries to send is checked, as a front-end does, and a refused one
/// is not delivered; the account gives up at a ban. People who are challenged pass the challenge, and adaptive
/// abusers move the rest of their plan in time as their <see cref="Adaptation"/> says. The enforcement history read
/// at the end adds actions that events alone triggered between sends. A business held to its tier's limit, and its
/// tier and quality changes, are counted apart from actions: they are the business track working, not a judgement of abuse.
/// </summary>
public static class AccountRunner
{
    private static readonly int Levels = Enum.GetValues<EnforcementAction>().Length;

    // How the adaptive abusers and the people who answer challenges behave.
    private static readonly TimeSpan ChallengeAnsweredIn = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan InitialBackOff = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromHours(4);
    private const double BackOffSlowdown = 1.25;

    /// <param name="clock">Steps this account through event time with the rest of the run; null for an account played alone.</param>
    public static async Task<AccountRun> RunAsync(
        AccountScript script, ITrafficTarget target, VirtualClock? clock, bool keepScores, CancellationToken cancellationToken)
    {
        var due = new PriorityQueue<AccountEvent, (DateTimeOffset, int)>();
        var order = 0;
        foreach (var accountEvent in script.Events)
        {
            due.Enqueue(accountEvent, (accountEvent.At, order++));
        }

        var firstAt = new DateTimeOffset?[Levels];
        var firstReasons = Array.Empty<ReasonCode>();
        var delivered = new List<DateTimeOffset>();
        var opened = new List<DateTimeOffset>();
        var openedWith = new HashSet<string>(StringComparer.Ordinal);
        var tierLimited = 0;
        var latencies = new List<long>();
        var scores = keepScores ? new List<ScorePoint>() : null;
        var operations = 0;
        string? policyVersion = null;
        var throttledFor = TimeSpan.Zero;
        var waitUntil = DateTimeOffset.MinValue;

        async Task RecordDueAsync(DateTimeOffset until)
        {
            var batch = new List<AccountEvent>();
            while (due.TryPeek(out var next, out var key) && key.Item1 <= until)
            {
                batch.Add(next);
                due.Dequeue();
            }

            if (batch.Count > 0)
            {
                await target.RecordAsync(script.Account, batch, cancellationToken);
                operations += batch.Count;
            }
        }

        Task UntilAsync(DateTimeOffset time) => clock?.UntilAsync(time, cancellationToken) ?? Task.CompletedTask;

        // An adaptive account moves its plan in time: each send keeps its planned gap from the one before, stretched by
        // the account's pace, and starts after any pause the account took.
        var info = AccountKinds.Info(script.Kind);
        var pace = 1.0;
        var backOff = InitialBackOff;
        var planned = script.Sends.Count > 0 ? script.Sends[0].At : default;
        var at = planned;
        foreach (var send in script.Sends)
        {
            if (firstAt[(int)EnforcementAction.Ban] is not null)
            {
                break;
            }

            at += (send.At - planned) * pace;
            planned = send.At;
            while (at < script.End)
            {
                await UntilAsync(at);
                await RecordDueAsync(at);
                var started = Stopwatch.GetTimestamp();
                var decision = await target.CheckSendAsync(script.Account, at, send.Message, cancellationToken);
                latencies.Add(Stopwatch.GetTimestamp() - started);
                operations++;
                policyVersion ??= decision.PolicyVersion;
                scores?.Add(new ScorePoint(at, decision.Score, decision.Action));
                if (decision.Action == EnforcementAction.Allow)
                {
                    delivered.Add(at);
                    if (send.Message.Conversation == ConversationKind.BusinessInitiated && openedWith.Add(send.Message.Recipient))
                    {
                        opened.Add(at);
                    }

                    backOff = InitialBackOff;
                    foreach (var reaction in send.IfDelivered)
                    {
                        var moved = reaction with { At = reaction.At + (at - send.At) };
                        due.Enqueue(moved, (moved.At, order++));
                    }

                    break;
                }

                if (decision.Reasons.Contains(ReasonCode.BusinessTierLimit))
                {
                    tierLimited++;
                }
                else if (Reached(firstAt, decision.Action, at))
                {
                    firstReasons = decision.Reasons;
                }

                if (decision.RetryAfterSeconds is { } retryAfter)
                {
                    var waitEnd = at.AddSeconds(retryAfter);
                    throttledFor += waitEnd - (waitUntil > at ? waitUntil : at);
                    waitUntil = waitEnd;
                }

                if (decision.Action == EnforcementAction.Challenge && info.PassesChallenges)
                {
                    var passed = new ChallengePassed(at + ChallengeAnsweredIn);
                    due.Enqueue(passed, (passed.At, order++));
                }

                if (info.Adapts == Adaptation.ObeysThrottles && decision.Action is EnforcementAction.Throttle or EnforcementAction.Suspend)
                {
                    // Waits as told, then tries the same message again.
                    at = decision.Until ?? at + TimeSpan.FromSeconds(decision.RetryAfterSeconds ?? 30);
                    continue;
                }

                if (info.Adapts == Adaptation.BacksOff)
                {
                    // Pauses, longer each time in a row it is refused, and sends more slowly from then on.
                    at = (decision.Until ?? at) + backOff;
                    backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
                    pace *= BackOffSlowdown;
                }

                break;
            }
        }

        while (due.TryPeek(out _, out var next))
        {
            await UntilAsync(next.Item1);
            await RecordDueAsync(clock is null ? DateTimeOffset.MaxValue : clock.Horizon.AddTicks(-1));
        }

        await UntilAsync(DateTimeOffset.MaxValue); // the history is read once every account has played and the entities have settled
        var end = await target.ReviewAsync(script.Account, cancellationToken);

        foreach (var change in end.History)
        {
            if (change.Action != EnforcementAction.Allow && !change.Reasons.All(ReasonCodes.IsBusinessTrack) && Reached(firstAt, change.Action, change.At))
            {
                firstReasons = change.Reasons;
            }
        }

        var deliveredBefore = new int[Levels];
        for (var level = 0; level < Levels; level++)
        {
            deliveredBefore[level] = firstAt[level] is { } reached ? DeliveredBy(delivered, reached) : delivered.Count;
        }

        var outcome = new AccountOutcome(
            script.Account,
            script.Kind,
            script.Onset,
            latencies.Count,
            delivered.Count,
            firstAt,
            firstReasons,
            deliveredBefore,
            policyVersion,
            scores,
            throttledFor,
            script.Sends.Count,
            tierLimited,
            MostWithin(opened, TimeSpan.FromDays(1)),
            end.BusinessTier,
            end.BusinessLimit);
        return new AccountRun(outcome, [.. latencies], operations);
    }

    /// <summary>Notes that <paramref name="action"/> and every milder level were reached by <paramref name="at"/>; true when it is the account's first action.</summary>
    private static bool Reached(DateTimeOffset?[] firstAt, EnforcementAction action, DateTimeOffset at)
    {
        var first = firstAt[(int)EnforcementAction.Throttle] is not { } earliest || at < earliest;
        for (var level = (int)EnforcementAction.Throttle; level <= (int)action; level++)
        {
            if (firstAt[level] is not { } seen || at < seen)
            {
                firstAt[level] = at;
            }
        }

        return first;
    }

    /// <summary>The most of <paramref name="times"/> (in time order) that fall within any <paramref name="window"/>.</summary>
    private static int MostWithin(List<DateTimeOffset> times, TimeSpan window)
    {
        var most = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= window)
            {
                first++;
            }

            most = Math.Max(most, last - first + 1);
        }

        return most;
    }

    /// <summary>Messages delivered at or before <paramref name="at"/> (the list is in time order).</summary>
    private static int DeliveredBy(List<DateTimeOffset> delivered, DateTimeOffset at)
    {
        var index = delivered.BinarySearch(at);
        if (index < 0)
        {
            return ~index;
        }

        while (index + 1 < delivered.Count && delivered[index + 1] == at)
        {
            index++;
        }

        return index + 1;
    }
}
