using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReputationGrid.Contracts;

namespace ReputationGrid.Grains.Linking;

/// <summary>
/// Collects the silo's accounts' reports to their entities and sends each entity one call per
/// <see cref="LinkingOptions.BatchInterval"/>: a viral fingerprint or a carrier's prefix then receives a few calls a second
/// per silo however many accounts link to it, and no account ever waits for an entity.
/// </summary>
public sealed class EntityReportBatcher(IGrainFactory grains, LinkingTraffic traffic, IOptions<LinkingOptions> options) : BackgroundService
{
    private readonly Lock _lock = new();
    private Dictionary<string, List<LinkReport>> _pending = new(StringComparer.Ordinal);

    /// <summary>Queues a report for the entity keyed <paramref name="entity"/>; it is sent with the next batch.</summary>
    public void Enqueue(string entity, LinkReport report)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(entity, out var reports))
            {
                _pending[entity] = reports = [];
            }

            reports.Add(report);
        }
    }

    /// <summary>Whether reports wait for the next batch.</summary>
    public bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>Sends every queued report, one one-way call per entity.</summary>
    public void Flush()
    {
        Dictionary<string, List<LinkReport>> batch;
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batch = _pending;
            _pending = new(StringComparer.Ordinal);
        }

        traffic.Sent(batch.Count);
        foreach (var (entity, reports) in batch)
        {
            _ = grains.GetGrain<IEntityGrain>(entity).ReportAsync([.. reports]);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.FlushOnDemand)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.BatchInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping: reports still queued are sent again by their accounts' next change.
        }
    }
}
