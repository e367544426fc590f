using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using ReputationGrid.Grains.Activity;
using ReputationGrid.Grains.Linking;
using ReputationGrid.Grains.Policy;
using ReputationGrid.Grains.Telemetry;

namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// What every account grain uses of its silo, in one object: each active account holds one reference to it instead of
/// one to each service, and at a million active accounts every reference an account holds is 8 MB.
/// </summary>
public sealed class AccountGrainServices(
    IOptions<AccountGrainOptions> options,
    IServiceProvider services,
    LivePolicy policy,
    TimeProvider time,
    ReputationMetrics metrics,
    AccountFlushScheduler flushes,
    FlushFailures flushFailures,
    EntityReportBatcher reports,
    LinkingTraffic linkingTraffic,
    SiloActivity activity)
{
    /// <summary>The grain storage the accounts' state and links are stored in.</summary>
    public IGrainStorage Storage { get; } = services.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);

    public LivePolicy Policy => policy;

    public TimeProvider Time => time;

    public ReputationMetrics Metrics => metrics;

    public AccountFlushScheduler Flushes => flushes;

    public FlushFailures FlushFailures => flushFailures;

    public EntityReportBatcher Reports => reports;

    public LinkingTraffic LinkingTraffic => linkingTraffic;

    public SiloActivity Activity => activity;
}
