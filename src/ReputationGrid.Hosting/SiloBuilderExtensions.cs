using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.Activity;
using ReputationGrid.Grains.Evidence;
using ReputationGrid.Grains.Linking;
using ReputationGrid.Grains.Policy;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.Hosting.Activations;
using ReputationGrid.Hosting.GarbageCollection;
using ReputationGrid.Hosting.Storage;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Hosting;

/// <summary>How a silo hosts ReputationGrid. Every option is bound from configuration and validated when the silo starts.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// The console's setting that mounts the Orleans dashboard (the console's <c>ConsoleOptions.Dashboard</c>): the
    /// dashboard's grains and its profiling of every grain call run on the silos, so every silo reads it too.
    /// </summary>
    public const string DashboardSetting = "Console:Dashboard";

    /// <summary>
    /// Everything a ReputationGrid silo runs: the scoring policy (seeded from section <c>Policy</c>), the account grains (section
    /// <c>Accounts</c>) and their storage (section <c>Storage</c>), Orleans' load shedding (section <c>LoadShedding</c>)
    /// and activation shedding (section <c>ActivationShedding</c>), the pacing of young collections (section
    /// <c>YoungCollections</c>), and the Orleans dashboard's grains when <see cref="DashboardSetting"/> is true.
    /// </summary>
    public static ISiloBuilder AddReputationGrid(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>(DashboardSetting))
        {
            silo.AddDashboard();
        }

        // Orleans' own overload protection: an overloaded silo rejects calls, which gateways answer with 503.
        silo.Services.AddOptions<LoadSheddingOptions>().Bind(configuration.GetSection("LoadShedding"));
        silo.Services.TryAddSingleton(TimeProvider.System);
        return silo
            .AddScoringPolicy(configuration)
            .AddAccounts(configuration)
            .AddAccountStorage(configuration)
            .AddActivationShedding(configuration)
            .AddYoungCollectionPacing(configuration);
    }

    /// <summary>
    /// The silo's copy of the cluster's live policy, and section <c>Policy</c>, which seeds the cluster's first version
    /// when none is stored; an unknown key or an invalid value there stops the silo.
    /// </summary>
    public static ISiloBuilder AddScoringPolicy(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<ScoringPolicy>()
            .Bind(configuration.GetSection("Policy"), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        silo.Services.AddSingleton<IValidateOptions<ScoringPolicy>, ScoringPolicyValidator>();
        silo.Services.AddSingleton<LivePolicy>();
        silo.Services.AddHostedService(provider => provider.GetRequiredService<LivePolicy>());
        return silo;
    }

    /// <summary>
    /// The account grains' options (section <c>Accounts</c>), their metrics, the silo's scheduler of counter flushes, the
    /// batcher of the accounts' reports to their linked entities (section <c>Linking</c>), the retention of their
    /// enforcement records (section <c>Evidence</c>), and the silo's activity reported for the console's overview.
    /// </summary>
    public static ISiloBuilder AddAccounts(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<AccountGrainOptions>().Bind(configuration.GetSection(AccountGrainOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountGrainOptions>, AccountGrainOptionsValidator>();
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<AccountGrainOptions>>((collection, accounts) =>
            collection.ClassSpecificCollectionAge[typeof(AccountGrain).FullName!] = accounts.Value.IdleDeactivation);
        services.AddSingleton<ReputationMetrics>();
        services.AddSingleton<AccountFlushScheduler>();
        services.AddSingleton<FlushFailures>();
        services.AddHostedService(provider => provider.GetRequiredService<AccountFlushScheduler>());
        services.AddOptions<LinkingOptions>().Bind(configuration.GetSection(LinkingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LinkingOptions>, LinkingOptionsValidator>();
        services.TryAddSingleton<LinkingTraffic>();
        services.AddSingleton<EntityReportBatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<EntityReportBatcher>());
        services.AddSingleton<SiloActivity>();
        services.AddSingleton<AccountGrainServices>();
        services.AddHostedService<ActivityReporter>();
        services.AddOptions<EvidenceOptions>().Bind(configuration.GetSection(EvidenceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EvidenceOptions>, EvidenceOptionsValidator>();
        return silo;
    }

    /// <summary>Orleans' memory-based activation shedding, as section <c>ActivationShedding</c> sets it.</summary>
    public static ISiloBuilder AddActivationShedding(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<ActivationSheddingOptions>().Bind(configuration.GetSection(ActivationSheddingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ActivationSheddingOptions>, ActivationSheddingOptionsValidator>();
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<ActivationSheddingOptions>>((collection, shedding) =>
        {
            collection.EnableActivationSheddingOnMemoryPressure = shedding.Value.Enabled;
            collection.MemoryUsageLimitPercentage = shedding.Value.MemoryLimitPercentage;
            collection.MemoryUsageTargetPercentage = shedding.Value.MemoryTargetPercentage;
            collection.MemoryUsagePollingPeriod = shedding.Value.PollingPeriod;
        });
        return silo;
    }

    /// <summary>Asks the runtime for a young collection whenever <c>YoungCollections:Interval</c> passes without one.</summary>
    public static ISiloBuilder AddYoungCollectionPacing(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<YoungCollectionOptions>().Bind(configuration.GetSection(YoungCollectionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<YoungCollectionOptions>, YoungCollectionOptionsValidator>();
        services.TryAddSingleton<IYoungGeneration, RuntimeYoungGeneration>();
        services.AddHostedService<YoungCollectionPacer>();
        return silo;
    }

    private sealed class ScoringPolicyValidator : IValidateOptions<ScoringPolicy>
    {
        public ValidateOptionsResult Validate(string? name, ScoringPolicy options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
