using System.Diagnostics.Metrics;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// What a silo's entity grains absorbed over a hot-entity run, from its start until <see cref="EntityLoadMeter.Settle"/>
/// after its end: the linking events its checks sent, the reports the entity grains absorbed, their calls (one per
/// entity per batch) and the time they spent absorbing them.
/// </summary>
internal readonly record struct EntityLoad(long Sent, long Absorbed, long Batches, double BusyMs, double Seconds)
{
    public double SentPerSecond => Sent / Seconds;

    public double AbsorbedPerSecond => Absorbed / Seconds;

    public double BatchesPerSecond => Batches / Seconds;

    /// <summary>The share of one core the entity grains were busy absorbing.</summary>
    public double BusyShare => BusyMs / (Seconds * 1000);
}

/// <summary>Listens, in a silo's process, to the entity grains' instruments on the service's meter.</summary>
internal sealed class EntityLoadMeter
{
    /// <summary>How long after a run the reports still queued in the silo's batcher get to reach their entities.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static EntityLoadMeter Instance { get; } = new();

    private readonly MeterListener _listener = new();
    private long _reports;
    private long _batches;
    private double _busySeconds;
    private readonly Lock _busyLock = new();

    private EntityLoadMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Grains.Telemetry.ReputationMetrics.MeterName && instrument.Name.StartsWith("reputationgrid.entity.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _reports, value));
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            lock (_busyLock)
            {
                _busySeconds += seconds;
            }
        });
        _listener.Start();
    }

    /// <summary>Reports absorbed, batches, and busy milliseconds so far.</summary>
    public (long Reports, long Batches, double BusyMs) Read()
    {
        lock (_busyLock)
        {
            return (Interlocked.Read(ref _reports), Interlocked.Read(ref _batches), _busySeconds * 1000);
        }
    }
}
