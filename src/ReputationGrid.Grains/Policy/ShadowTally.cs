using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Grains.Policy;

/// <summary>
/// One silo's comparison of live and shadow decisions for one candidate. Counting is a few interlocked increments and
/// allocates nothing; only an account that enters the bounded sample allocates, once.
/// </summary>
public sealed class ShadowTally(long shadowId)
{
    /// <summary>Accounts a silo keeps in its sample.</summary>
    public const int SampleCapacity = 100;

    /// <summary>Rows and columns of the matrix: one per enforcement action, by severity.</summary>
    public const int Actions = 5;

    private const int ReasonCodes = byte.MaxValue + 1;

    private readonly long[] _matrix = new long[Actions * Actions];
    private readonly long[] _differingReasons = new long[ReasonCodes];
    private readonly List<ShadowSample> _sample = [];
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

            _sample.Add(new ShadowSample(account, at, live.Action, shadow.Action, [.. live.Reasons], [.. shadow.Reasons]));
            _sampleFull = _sample.Count >= SampleCapacity;
        }
    }

    /// <summary>The counts so far, each read atomically (the whole is as of a moment within the read).</summary>
    public ShadowCounts Snapshot()
    {
        ShadowSample[] sample;
        lock (_sampleLock)
        {
            sample = [.. _sample];
        }

        return new ShadowCounts(
            ShadowId, Interlocked.Read(ref _compared), Interlocked.Read(ref _agreed), ReadAll(_matrix), ReadAll(_differingReasons), sample);
    }

    /// <summary>Counts of several silos added up; samples joined, oldest difference first.</summary>
    public static ShadowCounts Sum(long shadowId, IEnumerable<ShadowCounts> silos)
    {
        var matrix = new long[Actions * Actions];
        var reasons = new long[ReasonCodes];
        long compared = 0, agreed = 0;
        var sample = new List<ShadowSample>();
        foreach (var counts in silos)
        {
            compared += counts.Compared;
            agreed += counts.Agreed;
            AddInto(matrix, counts.Matrix);
            AddInto(reasons, counts.DifferingReasons);
            sample.AddRange(counts.Sample);
        }

        sample.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Account, b.Account));
        return new ShadowCounts(shadowId, compared, agreed, matrix, reasons, [.. sample]);
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

    private static void AddInto(long[] total, long[] counts)
    {
        for (var i = 0; i < Math.Min(total.Length, counts.Length); i++)
        {
            total[i] += counts[i];
        }
    }
}
