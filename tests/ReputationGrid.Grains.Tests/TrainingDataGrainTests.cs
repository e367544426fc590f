using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Orleans.Core.Internal;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Learning;
using ReputationGrid.Scoring;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>Feature snapshots and labels an account grain hands its training-data grain, bounded as the policy says.</summary>
public sealed class TrainingDataGrainTests(TrainingDataGrainTests.Cluster cluster) : IClassFixture<TrainingDataGrainTests.Cluster>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public sealed class Cluster : ReputationGridClusterFixture
    {
        protected override void Configure(ReputationGridClusterOptions options)
        {
            (options.Time, options.Silos) = (new FakeTimeProvider(T0.AddDays(1)), 1);
            options.Settings["Policy:Snapshots:SampleEvery"] = "5";
            options.Settings["Policy:Snapshots:PerAccount"] = "3";
            options.Settings["Policy:Snapshots:KeepFor"] = "02:00:00";
            options.Settings["Policy:Snapshots:MinimumGap"] = "00:00:00";
            options.Settings["Accounts:StorageName"] = "recorded";
            options.ConfigureSilo.Add(silo => Storage.Install(silo, "recorded"));
        }

        internal StorageRecorder Storage { get; } = new();
    }

    private IAccountGrain Account(string id) => cluster.Client.GetGrain<IAccountGrain>(id);

    private ITrainingDataGrain Evidence(string id) => cluster.Client.GetGrain<ITrainingDataGrain>(id);

    /// <summary>Snapshots arrive without the decision waiting for them: reads until <paramref name="done"/> holds, for at most 10 seconds.</summary>
    private async Task<AccountTrainingData> EvidenceWhenAsync(string id, Func<AccountTrainingData, bool> done)
    {
        var waited = Stopwatch.StartNew();
        var evidence = await Evidence(id).GetAsync();
        while (!done(evidence) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Yield();
            evidence = await Evidence(id).GetAsync();
        }

        return evidence;
    }

    [Fact]
    public async Task One_check_in_SampleEvery_and_every_change_of_action_keep_a_snapshot_bounded_per_account()
    {
        var account = Account("sampled");
        await account.RecordAsync([new AccountRegistered(T0.AddDays(-3), NetworkKind.Mobile)]);
        for (var i = 0; i < 40; i++)
        {
            await account.CheckSendAsync(T0.AddSeconds(i), new MessageDetails($"stranger-{i}", false));
        }

        var evidence = await EvidenceWhenAsync("sampled", e => e.Samples.Length == 3 && e.Samples[^1].At == T0.AddSeconds(39) && e.Changes.Length > 0);

        Assert.Equal([T0.AddSeconds(29), T0.AddSeconds(34), T0.AddSeconds(39)], evidence.Samples.Select(s => s.At));
        Assert.All(evidence.Samples, s => Assert.False(s.EnforcementChanged));
        Assert.Equal(NamedFeatures.All.Select(f => f.Name), evidence.Samples[0].Features.Keys);
        Assert.True(evidence.Samples[^1].Features["attempts1m"] >= 39);
        Assert.Contains(evidence.Changes, s => s.EnforcementChanged && s.Action != EnforcementAction.Allow);
        Assert.Empty(evidence.Labels);
    }

    [Fact]
    public async Task Snapshots_older_than_KeepFor_before_the_newest_are_dropped()
    {
        var account = Account("retained");
        await account.RecordAsync([new AccountRegistered(T0.AddYears(-1), NetworkKind.Mobile)]);
        for (var i = 0; i < 10; i++)
        {
            await account.CheckSendAsync(T0.AddMinutes(i), new MessageDetails("friend", true, Typed: true));
        }

        var first = await EvidenceWhenAsync("retained", e => e.Samples.Length == 2);
        Assert.Equal([T0.AddMinutes(4), T0.AddMinutes(9)], first.Samples.Select(s => s.At));

        for (var i = 0; i < 5; i++)
        {
            await account.CheckSendAsync(T0.AddHours(3).AddMinutes(i), new MessageDetails("friend", true, Typed: true));
        }

        var later = await EvidenceWhenAsync("retained", e => e.Samples.Length == 1);
        Assert.Equal([T0.AddHours(3).AddMinutes(4)], later.Samples.Select(s => s.At));
    }

    [Fact]
    public async Task Answered_challenges_are_labels_kept_with_the_account_and_in_the_label_log()
    {
        var account = Account("answered");
        await account.RecordAsync([new AccountRegistered(T0.AddDays(-30), NetworkKind.Mobile)]);
        await account.RecordAsync([new ChallengePassed(T0.AddMinutes(1))]);
        await account.RecordAsync([new ChallengeFailed(T0.AddMinutes(2))]);

        var evidence = await Evidence("answered").GetAsync();

        Assert.Equal(
            [(LabelKind.Legitimate, "challenge_passed", T0.AddMinutes(1)), (LabelKind.Abuse, "challenge_failed", T0.AddMinutes(2))],
            evidence.Labels.Select(l => (l.Label, l.Reason, l.At)));
        var log = await cluster.Client.GetGrain<IAuditGrain>(ITrainingDataGrain.LabelLogSubject).ReadAsync(null, 100);
        Assert.Contains(log.Entries, e => e.Record.Action == "label.abuse" && e.Record.Details["account"] == "answered");
        Assert.Contains(log.Entries, e => e.Record.Action == "label.legitimate" && e.Record.Details["account"] == "answered");
    }

    private static FeatureSnapshot Snapshot(int minute, bool change = false) =>
        new(T0.AddMinutes(minute), change, change ? EnforcementAction.Throttle : EnforcementAction.Allow, 0, "test", new Dictionary<string, double>());

    [Fact]
    public async Task Samples_are_written_in_batches_and_a_change_of_action_at_once_with_them()
    {
        var evidence = Evidence("batched");
        var id = evidence.GetGrainId();
        var batch = Math.Min(TrainingDataGrain.SamplesPerWrite, 3); // this cluster keeps 3 snapshots of each kind
        for (var i = 0; i < batch - 1; i++)
        {
            await evidence.AddSnapshotAsync(Snapshot(i));
        }

        await EvidenceWhenAsync("batched", e => e.Samples.Length == batch - 1);
        Assert.Equal(0, cluster.Storage.Writes(id));

        var written = cluster.Storage.NextWriteAsync(id);
        await evidence.AddSnapshotAsync(Snapshot(batch - 1));
        await written.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(1, cluster.Storage.Writes(id));

        await evidence.AddSnapshotAsync(Snapshot(batch));
        written = cluster.Storage.NextWriteAsync(id);
        await evidence.AddSnapshotAsync(Snapshot(batch + 1, change: true));
        await written.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, cluster.Storage.Writes(id));
        Assert.Equal([T0.AddMinutes(batch - 1), T0.AddMinutes(batch)], (await evidence.GetAsync()).Samples.TakeLast(2).Select(s => s.At));
    }

    [Fact]
    public async Task Samples_held_are_written_when_the_grain_deactivates()
    {
        var evidence = Evidence("held");
        var id = evidence.GetGrainId();
        await evidence.AddSnapshotAsync(Snapshot(0));
        await EvidenceWhenAsync("held", e => e.Samples.Length == 1);
        Assert.Equal(0, cluster.Storage.Writes(id));

        var written = cluster.Storage.NextWriteAsync(id);
        await evidence.Cast<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        await written.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(1, cluster.Storage.Writes(id));
        Assert.Equal([T0], (await evidence.GetAsync()).Samples.Select(s => s.At));
    }
}
