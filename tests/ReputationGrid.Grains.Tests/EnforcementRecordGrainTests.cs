using Microsoft.Extensions.Time.Testing;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Evidence;
using ReputationGrid.Grains.Paging;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>
/// The account's complete enforcement record: every standing change and action, with what was behind it, kept beyond the
/// account's bounded history and across pages and activations, until the retention drops it.
/// </summary>
public sealed class EnforcementRecordGrainTests : IAsyncLifetime
{
    private const string PolicyVersion = "evidence-tests.1";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly StorageRecorder _storage = new();
    private ReputationGridCluster _cluster = null!;

    public async ValueTask InitializeAsync() =>
        _cluster = await ReputationGridCluster.StartAsync(options =>
        {
            options.Time = _time;
            options.Settings["Accounts:StorageName"] = "recorded";
            options.Settings["Policy:Version"] = PolicyVersion;
            options.Settings["Evidence:Retention"] = "30.00:00:00";
            options.ConfigureSilo.Add(silo => _storage.Install(silo, "recorded"));
        });

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private IEnforcementRecordGrain Record(string account) => _cluster.Client.GetGrain<IEnforcementRecordGrain>(account);

    private static async Task<List<EnforcementRecordEntry>> ReadAllAsync(IEnforcementRecordGrain record, int limit)
    {
        var entries = new List<EnforcementRecordEntry>();
        long? cursor = null;
        do
        {
            var page = await record.ReadAsync(cursor, limit);
            entries.AddRange(page.Entries);
            cursor = page.Next;
        }
        while (cursor is not null);

        return entries;
    }

    private static EnforcementRecord Manual(DateTimeOffset at, int i) =>
        new(at, EnforcementAction.Ban, [ReasonCode.OperatorBan], $"ops-{i}", $"note {i}", PolicyVersion, 100, null, [], [], null);

    [Fact]
    public async Task Automatic_changes_and_operator_actions_are_recorded_with_their_features_points_and_policy()
    {
        var account = new AccountDriver(_cluster.Client, "evidenced");
        await account.RegisterAsync(Now.AddMinutes(-5));
        SendDecision decision;
        var i = 0;
        do
        {
            decision = await account.SendAsync(Now.AddMilliseconds(100 * i), $"stranger-{i}", contact: false);
            i++;
        }
        while (decision.Action.Severity() < EnforcementAction.Challenge.Severity());

        await account.Grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Ban, "bulk sender", "ops-anna"));

        var entries = await ReadAllAsync(Record("evidenced"), limit: 10);
        Assert.Equal(2, entries.Count); // the throttle before the challenge is no change of standing
        var (ban, automatic) = (entries[0].Record, entries[1].Record);
        Assert.Equal((1L, 0L), (entries[0].Sequence, entries[1].Sequence));

        Assert.Equal((EnforcementAction.Ban, "ops-anna", "bulk sender"), (ban.Action, ban.By, ban.Note));
        Assert.Equal([ReasonCode.OperatorBan], ban.Reasons);
        Assert.Equal(_time.GetUtcNow(), ban.At);

        Assert.Equal(decision.Action, automatic.Action);
        Assert.Equal(decision.Reasons, automatic.Reasons);
        Assert.Equal($"policy:{PolicyVersion}", automatic.By);
        Assert.Null(automatic.Note);
        Assert.Equal(decision.Score, automatic.Score);
        Assert.True(automatic.Features["attempts1m"] > 0);
        Assert.NotEmpty(automatic.Risk);
        Assert.All([ban, automatic], record => Assert.Equal(PolicyVersion, record.PolicyVersion));
        Assert.Equal(automatic.Risk.OrderByDescending(r => r.Points), automatic.Risk);
        Assert.Contains(automatic.Risk[0].Reason, automatic.Reasons);
    }

    [Fact]
    public async Task The_record_keeps_every_change_the_bounded_history_forgets_across_pages_and_activations()
    {
        var grain = _cluster.Client.GetGrain<IAccountGrain>("flip-flopped");
        var actions = PagedLog<EnforcementRecordHead, EnforcementRecord>.PageSize + EnforcementState.HistoryCapacity;
        for (var i = 0; i < actions; i++)
        {
            var command = i % 2 == 0 ? OperatorCommand.Ban : OperatorCommand.Clear;
            await grain.ApplyOperatorActionAsync(new OperatorAction(command, $"step {i}", "ops-bo"));
        }

        Assert.Equal(EnforcementState.HistoryCapacity, (await grain.GetViewAsync()).History.Length);
        await _cluster.Cluster.DeactivateAsync(Record("flip-flopped"));

        var entries = await ReadAllAsync(Record("flip-flopped"), limit: 25);
        Assert.Equal(Enumerable.Range(0, actions).Reverse().Select(i => $"step {i}"), entries.Select(entry => entry.Record.Note));
        Assert.Equal(Enumerable.Range(0, actions).Reverse().Select(i => (long)i), entries.Select(entry => entry.Sequence));
    }

    [Fact]
    public async Task Records_older_than_the_retention_are_no_longer_read_and_their_pages_are_dropped_at_the_next_activation()
    {
        var record = Record("long-ago");
        var pageSize = PagedLog<EnforcementRecordHead, EnforcementRecord>.PageSize;
        var old = Enumerable.Range(0, pageSize + 2).Select(i => Manual(Now.AddDays(-40).AddMinutes(i), i)).ToArray();
        await record.AppendAsync(old);
        await record.AppendAsync([Manual(Now.AddDays(-1), 99)]);

        var kept = await ReadAllAsync(record, limit: 10);
        Assert.Equal(["ops-99"], kept.Select(entry => entry.Record.By));
        Assert.Equal(0, _storage.Clears(record.GetGrainId()));

        await _cluster.Cluster.DeactivateAsync(record);
        Assert.Equal(["ops-99"], (await ReadAllAsync(record, limit: 10)).Select(entry => entry.Record.By));
        Assert.Equal(1, _storage.Clears(record.GetGrainId())); // the sealed page; the open records went from the head

        await record.AppendAsync([Manual(Now, 100)]);
        _time.Advance(Retention - TimeSpan.FromHours(12)); // the record of a day ago has now expired, today's has not
        var page = await record.ReadAsync(null, 10);
        Assert.Equal(["ops-100"], page.Entries.Select(entry => entry.Record.By));
        Assert.Equal(pageSize + 3, page.Entries[0].Sequence);
        Assert.Null(page.Next);
    }
}
