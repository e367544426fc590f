using ReputationGrid.Contracts;
using ReputationGrid.Testing;

namespace ReputationGrid.Simulator.Traffic;

/// <summary>
/// The default target: an in-memory cluster of silos in this process running the real account grains,
/// called through the Orleans client interfaces, so the simulator works with no server running.
/// </summary>
public sealed class ClusterTarget : ITrafficTarget
{
    private readonly ReputationGridCluster _cluster;

    private ClusterTarget(ReputationGridCluster cluster, short silos)
    {
        _cluster = cluster;
        Description = $"in-process cluster ({silos} silos, in-memory storage)";
    }

    public string Description { get; }

    /// <param name="settings">Configuration the silos see, for example <c>Policy:Thresholds:Throttle</c>.</param>
    public static async Task<ClusterTarget> StartAsync(IReadOnlyDictionary<string, string?> settings, short silos = 2)
    {
        var cluster = await ReputationGridCluster.StartAsync(options =>
        {
            options.Silos = silos;
            options.FileLogging = false;
            options.Settings["Linking:FlushOnDemand"] = "true"; // entities hear from accounts at the simulation's steps only
            foreach (var (key, value) in settings)
            {
                options.Settings[key] = value;
            }
        });
        return new ClusterTarget(cluster, silos);
    }

    /// <summary>Far longer than a settlement takes: reaching it means a one-way call was lost.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    private IAccountGrain Grain(string account) => _cluster.Client.GetGrain<IAccountGrain>(account);

    public Task RecordAsync(string account, IReadOnlyList<AccountEvent> events, CancellationToken cancellationToken) =>
        Grain(account).RecordAsync([.. events]);

    public Task<SendDecision> CheckSendAsync(string account, DateTimeOffset at, MessageDetails message, CancellationToken cancellationToken) =>
        Grain(account).CheckSendAsync(at, message);

    public Task SettleAsync(CancellationToken cancellationToken) => _cluster.SettleLinkingAsync(SettleTimeout).WaitAsync(cancellationToken);

    public async Task<AccountEnd> ReviewAsync(string account, CancellationToken cancellationToken)
    {
        var view = await Grain(account).GetViewAsync();
        return new AccountEnd(view.History, view.Business?.Tier, view.Business?.Limit);
    }

    /// <summary>The labels and feature snapshots the cluster kept for the account.</summary>
    public Task<AccountTrainingData> TrainingDataAsync(string account) => _cluster.Client.GetGrain<ITrainingDataGrain>(account).GetAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
