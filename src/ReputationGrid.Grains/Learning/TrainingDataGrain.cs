using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Core;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.Policy;

namespace ReputationGrid.Grains.Learning;

/// <summary>
/// One account's labels and feature snapshots in the accounts' grain storage, under a state name of their own so the
/// account's state is never touched. Each label is also appended to the cluster's label log (the audit trail of subject
/// <see cref="ITrainingDataGrain.LabelLogSubject"/>, paged and append-only), which is how labelled accounts are found for export.
/// </summary>
public sealed class TrainingDataGrain : Grain, ITrainingDataGrain
{
    public const string StateName = "training-data";

    /// <summary>
    /// Sampled snapshots gathered before they are written (fewer when <see cref="SnapshotPolicy.PerAccount"/> is
    /// smaller): each write stores the whole state, up to twice PerAccount snapshots, too much to write for every ordinary
    /// decision sampled. A change of action and a label are written at once, with the samples held; samples still held
    /// are written when the grain deactivates, so only a crash loses them.
    /// </summary>
    public const int SamplesPerWrite = 8;

    private readonly StateStorageBridge<TrainingDataState> _state;
    private readonly LivePolicy _policy;
    private int _unwrittenSamples;

    public TrainingDataGrain(IOptions<AccountGrainOptions> options, LivePolicy policy)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _state = new StateStorageBridge<TrainingDataState>(StateName, GrainContext, storage);
        _policy = policy;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _state.ReadStateAsync();

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _unwrittenSamples > 0 ? _state.WriteStateAsync() : Task.CompletedTask;

    public async Task AddLabelAsync(AccountLabel label)
    {
        _state.State.Labels.Add(label);
        await WriteAsync();
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["account"] = this.GetPrimaryKeyString(),
            ["reason"] = label.Reason,
            ["at"] = label.At.ToString("O", CultureInfo.InvariantCulture),
        };
        await GrainFactory.GetGrain<IAuditGrain>(ITrainingDataGrain.LabelLogSubject)
            .AppendAsync(new AuditRecord(label.RecordedAt, label.By, $"label.{LabelName(label.Label)}", null, details));
    }

    public async Task AddSnapshotAsync(FeatureSnapshot snapshot)
    {
        var limits = _policy.Current.Live.Snapshots;
        var state = _state.State;
        Keep(snapshot.EnforcementChanged ? state.Changes : state.Samples, snapshot, limits.PerAccount);
        var oldest = snapshot.At - limits.KeepFor;
        state.Changes.RemoveAll(s => s.At < oldest);
        state.Samples.RemoveAll(s => s.At < oldest);
        if (snapshot.EnforcementChanged || ++_unwrittenSamples >= Math.Min(SamplesPerWrite, limits.PerAccount))
        {
            await WriteAsync();
        }
    }

    public Task<AccountTrainingData> GetAsync() =>
        Task.FromResult(new AccountTrainingData([.. _state.State.Labels], [.. _state.State.Changes], [.. _state.State.Samples]));

    /// <summary>The wire name of a label: <c>abuse</c> or <c>legitimate</c>.</summary>
    public static string LabelName(LabelKind label) => label == LabelKind.Abuse ? "abuse" : "legitimate";

    /// <summary>Adds the snapshot in time order and drops the oldest beyond <paramref name="capacity"/>.</summary>
    private static void Keep(List<FeatureSnapshot> snapshots, FeatureSnapshot snapshot, int capacity)
    {
        var index = snapshots.FindLastIndex(s => s.At <= snapshot.At) + 1;
        snapshots.Insert(index, snapshot);
        if (snapshots.Count > capacity)
        {
            snapshots.RemoveRange(0, snapshots.Count - capacity);
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            await _state.WriteStateAsync();
            _unwrittenSamples = 0;
        }
        catch
        {
            // What is stored is the truth: the next activation reads it again, without this change or the samples held.
            _unwrittenSamples = 0;
            DeactivateOnIdle();
            throw;
        }
    }
}

[GenerateSerializer, Alias("rg.TrainingDataState")]
public sealed class TrainingDataState
{
    [Id(0)]
    public List<AccountLabel> Labels { get; set; } = [];

    [Id(1)]
    public List<FeatureSnapshot> Changes { get; set; } = [];

    [Id(2)]
    public List<FeatureSnapshot> Samples { get; set; } = [];
}
