using System.Diagnostics.Tracing;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// The time this process's collections spend marking through cards: scanning the old objects that were written
/// with references to young ones since the previous collection. It is most of a young collection's pause in a silo
/// that holds many activations. Read from the runtime's own GC events, in process:
/// the collector reports each kind of root when it has marked from it (<c>GCMarkWithType</c>), so the time since
/// the previous report on heap 0 is that kind's share, as PerfView reads it.
/// </summary>
internal sealed class GcCardMarking : EventListener
{
    private const int GCStart = 1, GCEnd = 2, GCMarkWithType = 202;
    private const uint OlderGenerationRoots = 3; // the runtime's root kind for marking through cards
    private const long GCKeyword = 0x1;

    // Field initialisers run before EventListener's constructor, which may already deliver events.
    private readonly Lock _lock = new();
    private DateTime _lastMark;
    private bool _collecting;
    private double _cardMs;
    private int _collections;

    public static GcCardMarking Instance { get; } = new();

    /// <summary>Milliseconds spent marking through cards, and collections begun, since the process started.</summary>
    public (double Ms, int Collections) Read()
    {
        lock (_lock)
        {
            return (_cardMs, _collections);
        }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Informational, (EventKeywords)GCKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_lock)
        {
            switch (e.EventId)
            {
                case GCStart:
                    (_lastMark, _collecting) = (e.TimeStamp, true);
                    _collections++;
                    break;
                case GCMarkWithType when _collecting && Convert.ToUInt32(e.Payload![0]) == 0:
                    if (Convert.ToUInt32(e.Payload[2]) == OlderGenerationRoots)
                    {
                        _cardMs += (e.TimeStamp - _lastMark).TotalMilliseconds;
                    }

                    _lastMark = e.TimeStamp;
                    break;
                case GCEnd:
                    _collecting = false;
                    break;
            }
        }
    }
}
