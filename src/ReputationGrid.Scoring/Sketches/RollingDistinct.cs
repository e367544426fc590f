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

    public void Add(long atMs, ulong hash)
    {
        var period = PeriodOf(atMs);
        if (_currentPeriod == long.MinValue || period > _currentPeriod)
        {
            Rotate(period);
        }

        if (period == _currentPeriod)
        {
            _current.Add(hash);
        }
        else if (period == _currentPeriod - 1)
        {
            _previous.Add(hash);
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
        return period == _currentPeriod + 1 ? _current.Estimate() : DistinctCounter.EstimateUnion(_current, _previous);
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
    }

    private static long PeriodOf(long atMs) => (long)Math.Floor(atMs / (double)PeriodMs);
}
