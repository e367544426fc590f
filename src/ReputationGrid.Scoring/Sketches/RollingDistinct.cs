namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// Distinct values over a rolling day, kept as two half-day periods (current and previous), so a
/// count "over the last day" covers between 12 and 24 hours of event time.
/// A mutable struct held inline by the account's behaviour, as <see cref="Windows.CounterRing{TCount}"/> is.
/// </summary>
public struct RollingDistinct
{
    public static readonly long PeriodMs = 12 * EventTime.Hour;

    private DistinctCounter _current;
    private DistinctCounter _previous;
    private long _currentPeriod = long.MinValue;

    // The estimate of both periods' union, kept between decisions: comparing two exact sets or merging two sketches
    // at every decision was a fifth of its time. While both count exactly it is kept up to date as values arrive;
    // NaN when it must be computed again (a register of a sketch was raised, or the state was just read).
    private double _union = double.NaN;

    public RollingDistinct()
    {
    }

    public void Add(long atMs, ulong hash)
    {
        var period = PeriodOf(atMs);
        if (_currentPeriod == long.MinValue || period > _currentPeriod)
        {
            Rotate(period);
        }

        if (period == _currentPeriod)
        {
            Count(ref _current, _previous, hash);
        }
        else if (period == _currentPeriod - 1)
        {
            Count(ref _previous, _current, hash);
        }
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
            _union = DistinctCounter.EstimateUnion(_current, _previous);
        }

        return _union;
    }

    /// <summary>Whether the value was seen in the last day; null when only a sketch can answer.</summary>
    public readonly bool? Contains(ulong hash)
    {
        var inCurrent = _current.Contains(hash);
        if (inCurrent == true)
        {
            return true;
        }

        var inPrevious = _previous.Contains(hash);
        return inPrevious == true ? true : inCurrent is null || inPrevious is null ? null : false;
    }

    internal readonly void Write(BinaryWriter writer)
    {
        writer.Write(_currentPeriod);
        _current.Write(writer);
        _previous.Write(writer);
    }

    internal void Read(BinaryReader reader)
    {
        _currentPeriod = reader.ReadInt64();
        _current.Read(reader);
        _previous.Read(reader);
        _union = double.NaN;
    }

    private void Count(ref DistinctCounter counter, in DistinctCounter other, ulong hash)
    {
        if (!counter.Add(hash))
        {
            return; // the union stands
        }

        // A value new to one exact set is new to the union unless the other set holds it; a changed sketch is estimated again.
        if (!counter.IsSketch && other.Contains(hash) is { } inOther)
        {
            _union += inOther ? 0 : 1;
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
        _current.Clear();
        if (_currentPeriod == long.MinValue || period != _currentPeriod + 1)
        {
            _previous.Clear();
        }

        _currentPeriod = period;
        _union = _previous.Estimate(); // the new current period is empty
    }

    private static long PeriodOf(long atMs) => (long)Math.Floor(atMs / (double)PeriodMs);
}
