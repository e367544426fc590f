namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// Distinct values over a rolling day, kept as two half-day periods (current and previous), so a
/// count "over the last day" covers between 12 and 24 hours of event time. Membership is exact while a period's
/// counter is; a period that outgrows its exact set keeps its members in a <see cref="MembershipFilter"/> from then on.
/// A mutable struct held inline by the account's behaviour, as <see cref="Windows.CounterRing{TCount}"/> is.
/// </summary>
public struct RollingDistinct
{
    public static readonly long PeriodMs = 12 * EventTime.Hour;

    private DistinctCounter _current;
    private DistinctCounter _previous;
    private MembershipFilter _currentMembers; // allocated once the current counter is a sketch
    private MembershipFilter _previousMembers;
    private long _currentPeriod = long.MinValue;

    // The estimate of both periods' union, kept between decisions: comparing two exact sets or merging two sketches
    // at every decision was a fifth of its time. It is kept up to date as values arrive: while both count exactly,
    // by counting; once either is a sketch, through the union's register sum, which a value raising a register of the
    // union changes by a known amount (merging both and summing them again was 3 % of a silo's time in the
    // in-process send checks). NaN when it must be computed again (a period began
    // to be sketched, or the state was just read); the sum is kept only while one of the periods is a sketch.
    private double _union = double.NaN;
    private DistinctCounter.RegisterSum _unionSum;

    public RollingDistinct()
    {
    }

    /// <summary>Adds a value; returns whether it is new to the day (in neither period before), false for a value older than the day.</summary>
    public bool Add(long atMs, ulong hash)
    {
        var period = PeriodOf(atMs);
        if (_currentPeriod == long.MinValue || period > _currentPeriod)
        {
            Rotate(period);
        }

        if (period < _currentPeriod - 1)
        {
            return false; // older than the day: not counted
        }

        var isNew = !Contains(hash);
        if (period == _currentPeriod)
        {
            Remember(ref _currentMembers, _current, hash);
            Count(ref _current, _previous, hash);
        }
        else
        {
            Remember(ref _previousMembers, _previous, hash);
            Count(ref _previous, _current, hash);
        }

        return isNew;
    }

    /// <summary>Distinct values in the day that ends at <paramref name="atMs"/>.</summary>
    public double Estimate(long atMs)
    {
        var period = PeriodOf(atMs);
        if (period > _currentPeriod + 1)
        {
            return 0; // both periods are more than a day old
        }

        // One period on, the previous period has aged out and only the current one is within the day.
        if (period == _currentPeriod + 1)
        {
            return _current.Estimate();
        }

        if (double.IsNaN(_union))
        {
            if (_current.IsSketch || _previous.IsSketch)
            {
                _unionSum = DistinctCounter.UnionSum(_current, _previous);
                _union = _unionSum.Estimate();
            }
            else
            {
                _union = DistinctCounter.EstimateUnion(_current, _previous);
            }
        }

        return _union;
    }

    /// <summary>
    /// Whether the value was seen in the last day: exactly while the periods count exactly, and then with the false-positive
    /// rate of a <see cref="MembershipFilter"/> per period that outgrew its exact set.
    /// </summary>
    public readonly bool Contains(ulong hash) => Contains(_current, _currentMembers, hash) || Contains(_previous, _previousMembers, hash);

    internal readonly void Write(BinaryWriter writer)
    {
        writer.Write(_currentPeriod);
        _current.Write(writer);
        _previous.Write(writer);
        WriteMembers(writer, _current, _currentMembers);
        WriteMembers(writer, _previous, _previousMembers);
    }

    internal void Read(BinaryReader reader, StateFormat format)
    {
        _currentPeriod = reader.ReadInt64();
        _current.Read(reader);
        _previous.Read(reader);
        ReadMembers(reader, format, _current, ref _currentMembers);
        ReadMembers(reader, format, _previous, ref _previousMembers);
        _union = double.NaN;
        _unionSum = default;
    }

    private static bool Contains(in DistinctCounter counter, in MembershipFilter members, ulong hash) =>
        counter.IsSketch ? members.Contains(DistinctCounter.Fold(hash)) : counter.Contains(hash) == true;

    /// <summary>Keeps the period's members once its counter can no longer answer for them: from the value that overflows its exact set.</summary>
    private static void Remember(ref MembershipFilter members, in DistinctCounter counter, ulong hash)
    {
        var folded = DistinctCounter.Fold(hash);
        if (counter.IsSketch)
        {
            members.Add(folded);
        }
        else if (counter.ExactValues.Length == DistinctCounter.ExactCapacity && counter.Contains(hash) == false)
        {
            foreach (var member in counter.ExactValues)
            {
                members.Add(member);
            }

            members.Add(folded);
        }
    }

    private static void WriteMembers(BinaryWriter writer, in DistinctCounter counter, in MembershipFilter members)
    {
        if (counter.IsSketch)
        {
            members.Write(writer);
        }
    }

    /// <summary>
    /// A period stored as a sketch by a format that kept no members is taken to hold everyone, as that format answered;
    /// it ages out within a day.
    /// </summary>
    private static void ReadMembers(BinaryReader reader, StateFormat format, in DistinctCounter counter, ref MembershipFilter members)
    {
        members.Clear();
        if (!counter.IsSketch)
        {
            return;
        }

        if (format >= StateFormat.DistinctReporters)
        {
            members.Read(reader);
        }
        else
        {
            members.Fill();
        }
    }

    private void Count(ref DistinctCounter counter, in DistinctCounter other, ulong hash)
    {
        var (index, rank) = DistinctCounter.Locate(hash);
        var unionRank = _unionSum.IsKept ? Math.Max(counter.RankAt(index), other.RankAt(index)) : (byte)0;
        if (!counter.Add(hash))
        {
            return; // the union stands
        }

        // A value new to one exact set is new to the union unless the other set holds it. Once a period is a sketch,
        // the value raises the union's register unless either period already holds that rank there.
        if (!counter.IsSketch && other.Contains(hash) is { } inOther)
        {
            _union += inOther ? 0 : 1;
        }
        else if (_unionSum.IsKept)
        {
            if (rank > unionRank)
            {
                _unionSum = _unionSum.Raise(unionRank, rank);
                _union = _unionSum.Estimate();
            }
        }
        else
        {
            _union = double.NaN;
        }
    }

    private void Rotate(long period)
    {
        // Reuse both counters' storage: rotating must not allocate in the steady state.
        (_current, _previous) = (_previous, _current);
        (_currentMembers, _previousMembers) = (_previousMembers, _currentMembers);
        _current.Clear();
        _currentMembers.Clear();
        if (_currentPeriod == long.MinValue || period != _currentPeriod + 1)
        {
            _previous.Clear();
            _previousMembers.Clear();
        }

        _currentPeriod = period;
        _union = _previous.Estimate(); // the new current period is empty
        _unionSum = default; // summed again at the next estimate that needs it
    }

    private static long PeriodOf(long atMs) => (long)Math.Floor(atMs / (double)PeriodMs);
}
