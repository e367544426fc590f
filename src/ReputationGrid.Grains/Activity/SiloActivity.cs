using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Activity;

/// <summary>
/// This silo's decisions (by action and reason) and enforcement changes since its last report to the
/// <see cref="IActivityGrain"/>. Counting a decision is a few interlocked increments and allocates nothing.
/// </summary>
public sealed class SiloActivity
{
    /// <summary>Changes kept between two reports; beyond them the oldest are dropped (the overview shows the newest).</summary>
    public const int MaxChangesPerReport = 100;

    private long[] _decisions = new long[ShadowTally.Actions];
    private long[] _reasons = new long[ShadowTally.ReasonCodes];
    private readonly Queue<EnforcementChangeRecord> _changes = new();
    private readonly Lock _changesLock = new();

    public void Decided(in Decision decision)
    {
        Interlocked.Increment(ref Volatile.Read(ref _decisions)[decision.Action.Severity()]);
        if (decision.Action == EnforcementAction.Allow)
        {
            return;
        }

        var reasons = Volatile.Read(ref _reasons);
        for (var i = 0; i < decision.Reasons.Count; i++)
        {
            Interlocked.Increment(ref reasons[(int)decision.Reasons[i]]);
        }
    }

    public void Changed(string account, HistoryEntry entry)
    {
        var change = new EnforcementChangeRecord(account, entry.At, entry.Action, [.. entry.Reasons], entry.By);
        lock (_changesLock)
        {
            if (_changes.Count == MaxChangesPerReport)
            {
                _changes.Dequeue();
            }

            _changes.Enqueue(change);
        }
    }

    /// <summary>Everything counted since the last call, which starts counting afresh.</summary>
    public SiloActivityReport Take(DateTimeOffset at)
    {
        // A decision counted into the old arrays just as they are swapped can be missed: these counts are for watching, not accounting.
        var decisions = Interlocked.Exchange(ref _decisions, new long[ShadowTally.Actions]);
        var reasons = Interlocked.Exchange(ref _reasons, new long[ShadowTally.ReasonCodes]);
        EnforcementChangeRecord[] changes;
        lock (_changesLock)
        {
            changes = [.. _changes];
            _changes.Clear();
        }

        return new SiloActivityReport(at, decisions, reasons, changes);
    }
}
