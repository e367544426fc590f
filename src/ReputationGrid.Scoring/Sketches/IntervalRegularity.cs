namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// How regular the gaps between consecutive sends are, as the coefficient of variation of an
/// exponentially weighted mean and variance. People send in bursts (variation near or above 1);
/// scripts that send on a timer do not (variation near 0). Gaps longer than a session are ignored.
/// A mutable struct held inline by the account's behaviour, as <see cref="Windows.CounterRing{TCount}"/> is.
/// </summary>
public struct IntervalRegularity
{
    public static readonly long MaxGapMs = 10 * EventTime.Minute;
    private const double Smoothing = 0.1;

    private long _lastMs = long.MinValue;
    private double _mean;
    private double _variance;
    private int _intervals;

    public IntervalRegularity()
    {
    }

    public readonly int Intervals => _intervals;

    public void Add(long atMs)
    {
        if (_lastMs != long.MinValue && atMs < _lastMs)
        {
            return; // out of order: the gap it would make is not a real one
        }

        if (_lastMs != long.MinValue && atMs - _lastMs <= MaxGapMs)
        {
            double gap = atMs - _lastMs;
            if (_intervals == 0)
            {
                _mean = gap;
                _variance = 0;
            }
            else
            {
                var delta = gap - _mean;
                _mean += Smoothing * delta;
                _variance = (1 - Smoothing) * (_variance + Smoothing * delta * delta);
            }

            _intervals = Math.Min(_intervals + 1, ushort.MaxValue);
        }

        _lastMs = atMs;
    }

    /// <summary>Coefficient of variation of the gaps; 1 (irregular) until there are gaps to judge.</summary>
    public readonly double Variation => _intervals == 0 || _mean <= 0 ? 1 : Math.Sqrt(_variance) / _mean;

    internal readonly void Write(BinaryWriter writer)
    {
        writer.Write(_lastMs);
        writer.Write7BitEncodedInt(_intervals);
        if (_intervals > 0)
        {
            writer.Write(_mean);
            writer.Write(_variance);
        }
    }

    internal void Read(BinaryReader reader)
    {
        _lastMs = reader.ReadInt64();
        _intervals = reader.Read7BitEncodedInt();
        (_mean, _variance) = _intervals > 0 ? (reader.ReadDouble(), reader.ReadDouble()) : (0, 0);
    }
}
