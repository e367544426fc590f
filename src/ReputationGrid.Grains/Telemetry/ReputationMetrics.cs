using System.Diagnostics.Metrics;
using ReputationGrid.Scoring;

namespace ReputationGrid.Grains.Telemetry;

/// <summary>The service's own instruments, published on the <see cref="MeterName"/> meter beside Orleans' meters.</summary>
public sealed class ReputationMetrics
{
    public const string MeterName = "ReputationGrid";

    private readonly Counter<long> _eventsIngested;
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decisionDuration;
    private readonly UpDownCounter<long> _activeAccounts;
    private readonly Counter<long> _enforcementChanges;
    private readonly Counter<long> _pacedYoungCollections;
    private readonly Counter<long> _flushFailures;
    private readonly Counter<long> _flushesLost;
    private readonly Counter<long> _superseded;
    private readonly Counter<long> _entityReports;
    private readonly Histogram<double> _entityBatchDuration;

    public ReputationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _eventsIngested = meter.CreateCounter<long>("reputationgrid.events.ingested", "{event}", "Account events recorded, by type.");
        _decisions = meter.CreateCounter<long>("reputationgrid.decisions", "{decision}", "Send-time decisions, by action.");
        _decisionDuration = meter.CreateHistogram(
            "reputationgrid.decision.duration",
            "s",
            "Server time of a send-time decision inside the account grain, including any enforcement write.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] });
        _activeAccounts = meter.CreateUpDownCounter<long>("reputationgrid.accounts.active", "{account}", "Account grains active on this silo.");
        _enforcementChanges = meter.CreateCounter<long>("reputationgrid.enforcement.changes", "{change}", "Automatic enforcement actions taken, by the action moved to.");
        _pacedYoungCollections = meter.CreateCounter<long>(
            "reputationgrid.gc.paced_collections",
            "{collection}",
            "Young-generation collections the silo asked the runtime for because none ran within the pacing interval.");
        _flushFailures = meter.CreateCounter<long>(
            "reputationgrid.accounts.flush.failures",
            "{flush}",
            "Background writes of account counters that failed; each is tried again at the next flush interval.");
        _flushesLost = meter.CreateCounter<long>(
            "reputationgrid.accounts.flush.lost",
            "{flush}",
            "Background writes of account counters given up because another activation of the account stored a newer state.");
        _superseded = meter.CreateCounter<long>(
            "reputationgrid.accounts.superseded",
            "{activation}",
            "Account activations that met a newer state stored by another activation of the account (a duplicate activation, after a partition or while a silo stops) and left without writing.");
        _entityReports = meter.CreateCounter<long>(
            "reputationgrid.entity.reports",
            "{report}",
            "Linked accounts' reports (a new link, or a change of what an account shows) absorbed by the silo's entity grains.");
        _entityBatchDuration = meter.CreateHistogram(
            "reputationgrid.entity.batch.duration",
            "s",
            "Time an entity grain spends absorbing one silo's batch of reports and judging its risk, its storage write excluded.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.0001, 0.001, 0.01, 0.1, 1] });
    }

    public void EventIngested(string type) => _eventsIngested.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Decided(EnforcementAction action, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("action", EnforcementActions.Name(action));
        _decisions.Add(1, tag);
        _decisionDuration.Record(duration.TotalSeconds, tag);
    }

    public void EnforcementChanged(EnforcementAction action) =>
        _enforcementChanges.Add(1, new KeyValuePair<string, object?>("action", EnforcementActions.Name(action)));

    public void AccountActivated() => _activeAccounts.Add(1);

    public void AccountDeactivated() => _activeAccounts.Add(-1);

    public void YoungCollectionPaced() => _pacedYoungCollections.Add(1);

    public void FlushFailed() => _flushFailures.Add(1);

    public void FlushLost() => _flushesLost.Add(1);

    public void AccountSuperseded() => _superseded.Add(1);

    public void EntityBatchAbsorbed(int reports, TimeSpan duration)
    {
        _entityReports.Add(reports);
        _entityBatchDuration.Record(duration.TotalSeconds);
    }
}
