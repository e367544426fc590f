namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// Distinct values over a rolling day, kept as two half-day periods (current and previous), so a
/// count "over the last day" covers between 12 and 24 hours of event time.
/// </summary>
public sealed class RollingDistinct
{
    public static readonly long PeriodMs = 12 * EventTime.Hour;

    private DistinctCounter _current = new();
    private DistinctCounter _previous = new();
    private long _currentPeriod = long.MinValue;

    // While both periods count exactly: the size of their union, kept as values arrive, so that a decision reads
    // neither set (comparing them at every decision was a fifth of its time).
    private int _exactUnion;

    public void Add(long atMs, ulong hash)
    {
        var period = PeriodOf(atMs);
        if (_currentPeriod == long.MinValue || period > _currentPeriod)
        {
            Rotate(period);
        }

        if (period == _currentPeriod)
        {
            Count(_current, _previous, hash);
        }
        else if (period == _currentPeriod - 1)
        {
            Count(_previous, _current, hash);
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

        return BothExact ? _exactUnion : DistinctCounter.EstimateUnion(_current, _previous);
    }

    /// <summary>Whether the value was seen in the last day; null when only a sketch can answer.</summary>
    public bool? Contains(ulong hash)
    {
        var inCurrent = _current.Contains(hash);
        if (inCurrent == true)
        {
            return true;
        }

        var inPrevious = _previous.Contains(hash);
        return inPrevious == true ? true : inCurrent is null || inPrevious is null ? null : false;
    }

    internal void Write(BinaryWriter writer)
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
        _exactUnion = BothExact ? (int)DistinctCounter.EstimateUnion(_current, _previous) : 0;
    }

    private bool BothExact => !_current.IsSketch && !_previous.IsSketch;

    private void Count(DistinctCounter counter, DistinctCounter other, ulong hash)
    {
        if (counter.Add(hash) && other.Contains(hash) == false)
        {
            _exactUnion++;
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
        _exactUnion = (int)_previous.Estimate(); // the new current period is empty
    }

    private static long PeriodOf(long atMs) => (long)Math.Floor(atMs / (double)PeriodMs);
}
