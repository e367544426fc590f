using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Scoring.Policy;

/// <summary>
/// Live and shadow decisions compared for one candidate, by many threads at once (a silo's accounts). Counting is a
/// few interlocked increments and allocates nothing; only an account that enters the bounded sample allocates, once.
/// </summary>
public sealed class ShadowTally(long shadowId)
{
    /// <summary>Accounts a silo keeps in its sample.</summary>
    public const int SampleCapacity = 100;

    /// <summary>Rows and columns of the matrix: one per enforcement action, by severity.</summary>
    public const int Actions = 5;

    /// <summary>Entries of <see cref="DifferingReasons"/>: one per possible reason code.</summary>
    public const int ReasonCodes = byte.MaxValue + 1;

    private readonly long[] _matrix = new long[Actions * Actions];
    private readonly long[] _differingReasons = new long[ReasonCodes];
    private readonly List<ShadowDifference> _sample = [];
    private readonly Lock _sampleLock = new();
    private long _compared;
    private long _agreed;
    private volatile bool _sampleFull;

    public long ShadowId { get; } = shadowId;

    /// <summary>Counts one decision; true when the two differ and the sample may still take the account.</summary>
    public bool Count(in Decision live, in Decision shadow)
    {
        Interlocked.Increment(ref _compared);
        var agreed = live.Action == shadow.Action;
        if (agreed)
        {
            Interlocked.Increment(ref _agreed);
        }

        Interlocked.Increment(ref _matrix[(live.Action.Severity() * Actions) + shadow.Action.Severity()]);
        CountReasonsMissingFrom(live.Reasons, shadow.Reasons);
        CountReasonsMissingFrom(shadow.Reasons, live.Reasons);
        return !agreed && !_sampleFull;
    }

    /// <summary>Adds the account to the sample, unless it is there already or the sample is full.</summary>
    public void Sample(string account, DateTimeOffset at, in Decision live, in Decision shadow)
    {
        lock (_sampleLock)
        {
            if (_sample.Count >= SampleCapacity || _sample.Exists(s => s.Account == account))
            {
                return;
            }

            _sample.Add(new ShadowDifference(account, at, live.Action, shadow.Action, [.. live.Reasons], [.. shadow.Reasons]));
            _sampleFull = _sample.Count >= SampleCapacity;
        }
    }

    /// <summary>Decisions compared so far.</summary>
    public long Compared => Interlocked.Read(ref _compared);

    /// <summary>Decisions where the candidate took the live action.</summary>
    public long Agreed => Interlocked.Read(ref _agreed);

    /// <summary>Decisions by live action (row) and shadow action (column), each indexed by severity: a copy.</summary>
    public long[] Matrix() => ReadAll(_matrix);

    /// <summary>By reason code, decisions where exactly one of the two gave the reason: a copy.</summary>
    public long[] DifferingReasons() => ReadAll(_differingReasons);

    /// <summary>The accounts sampled so far, oldest first: a copy.</summary>
    public ShadowDifference[] Sampled()
    {
        lock (_sampleLock)
        {
            return [.. _sample];
        }
    }

    private void CountReasonsMissingFrom(IReadOnlyList<ReasonCode> reasons, IReadOnlyList<ReasonCode> other)
    {
        // Indexed loops over the interfaces: a foreach would allocate an enumerator per decision.
        for (var i = 0; i < reasons.Count; i++)
        {
            if (!Contains(other, reasons[i]))
            {
                Interlocked.Increment(ref _differingReasons[(int)reasons[i]]);
            }
        }
    }

    private static bool Contains(IReadOnlyList<ReasonCode> reasons, ReasonCode reason)
    {
        for (var i = 0; i < reasons.Count; i++)
        {
            if (reasons[i] == reason)
            {
                return true;
            }
        }

        return false;
    }

    private static long[] ReadAll(long[] counters)
    {
        var copy = new long[counters.Length];
        for (var i = 0; i < counters.Length; i++)
        {
            copy[i] = Interlocked.Read(ref counters[i]);
        }

        return copy;
    }
}

/// <summary>An account the candidate would have treated differently, at its first differing decision.</summary>
public sealed record ShadowDifference(
    string Account, DateTimeOffset At, EnforcementAction Live, EnforcementAction Shadow, ReasonCode[] LiveReasons, ReasonCode[] ShadowReasons);
