using System.Diagnostics;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Traffic;

namespace ReputationGrid.Simulator.Running;

/// <summary>A score seen in a decision, for the score-over-time picture.</summary>
public readonly record struct ScorePoint(DateTimeOffset At, double Score, EnforcementAction Action);

/// <summary>What happened to one simulated account.</summary>
/// <param name="FirstAt">When the account first reached each action level or worse, indexed by <see cref="EnforcementAction"/>.</param>
/// <param name="FirstActionReasons">The reasons given with the first action, empty when never actioned.</param>
/// <param name="DeliveredBefore">Messages delivered before each level was first reached (all delivered when never reached), indexed like <paramref name="FirstAt"/>.</param>
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
    IReadOnlyList<ScorePoint>? Scores)
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
/// is not delivered; the account gives up at a ban. The enforcement history read at the end adds actions
/// that events alone triggered between sends.
/// </summary>
public static class AccountRunner
{
    private static readonly int Levels = Enum.GetValues<EnforcementAction>().Length;

    public static async Task<AccountRun> RunAsync(AccountScript script, ITrafficTarget target, bool keepScores, CancellationToken cancellationToken)
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
        var latencies = new List<long>();
        var scores = keepScores ? new List<ScorePoint>() : null;
        var operations = 0;
        string? policyVersion = null;

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

        foreach (var send in script.Sends)
        {
            if (firstAt[(int)EnforcementAction.Ban] is not null)
            {
                break;
            }

            await RecordDueAsync(send.At);
            var started = Stopwatch.GetTimestamp();
            var decision = await target.CheckSendAsync(script.Account, send.At, send.Message, cancellationToken);
            latencies.Add(Stopwatch.GetTimestamp() - started);
            operations++;
            policyVersion ??= decision.PolicyVersion;
            scores?.Add(new ScorePoint(send.At, decision.Score, decision.Action));
            if (decision.Action == EnforcementAction.Allow)
            {
                delivered.Add(send.At);
                foreach (var reaction in send.IfDelivered)
                {
                    due.Enqueue(reaction, (reaction.At, order++));
                }
            }
            else if (Reached(firstAt, decision.Action, send.At))
            {
                firstReasons = decision.Reasons;
            }
        }

        await RecordDueAsync(DateTimeOffset.MaxValue);
        foreach (var change in await target.HistoryAsync(script.Account, cancellationToken))
        {
            if (change.Action != EnforcementAction.Allow && Reached(firstAt, change.Action, change.At))
            {
                firstReasons = change.Reasons;
            }
        }

        var deliveredBefore = new int[Levels];
        for (var level = 0; level < Levels; level++)
        {
            deliveredBefore[level] = firstAt[level] is { } at ? DeliveredBy(delivered, at) : delivered.Count;
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
            scores);
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
