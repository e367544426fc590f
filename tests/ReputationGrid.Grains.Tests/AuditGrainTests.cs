using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Audit;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>The audit grain: append-only, stored page by page in the accounts' storage, read newest first across pages and activations.</summary>
public sealed class AuditGrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly StorageRecorder _storage = new();
    private ReputationGridCluster _cluster = null!;

    public async ValueTask InitializeAsync() =>
        _cluster = await ReputationGridCluster.StartAsync(options =>
        {
            options.Settings["Accounts:StorageName"] = "recorded";
            options.ConfigureSilo.Add(silo => _storage.Install(silo, "recorded"));
        });

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private IAuditGrain Trail(string subject) => _cluster.Client.GetGrain<IAuditGrain>(subject);

    private static AuditRecord Record(int i) =>
        new(Now.AddSeconds(i), $"ops-{i}", "account.ban", "10.0.0.1", new Dictionary<string, string> { ["note"] = $"note {i}" });

    private static async Task<List<AuditEntry>> ReadAllAsync(IAuditGrain trail, int limit)
    {
        var entries = new List<AuditEntry>();
        long? cursor = null;
        do
        {
            var page = await trail.ReadAsync(cursor, limit);
            Assert.InRange(page.Entries.Length, 1, limit);
            entries.AddRange(page.Entries);
            cursor = page.Next;
        }
        while (cursor is not null);

        return entries;
    }

    [Fact]
    public async Task Records_survive_deactivation_and_read_back_newest_first_across_pages()
    {
        var trail = Trail("account/audited");
        var count = AuditGrain.PageSize * 2 + 5;
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i, await trail.AppendAsync(Record(i)));
        }

        await _cluster.Cluster.DeactivateAsync(trail);
        var entries = await ReadAllAsync(trail, limit: 30);

        Assert.Equal(Enumerable.Range(0, count).Reverse().Select(i => (long)i), entries.Select(entry => entry.Sequence));
        Assert.All(entries, entry => Assert.Equal(Record((int)entry.Sequence) with { Details = entry.Record.Details }, entry.Record));
        Assert.All(entries, entry => Assert.Equal($"note {entry.Sequence}", entry.Record.Details["note"]));
        // Each append wrote the head, and each full page was written once more beside it.
        Assert.Equal(count + 2, _storage.Writes(trail.GetGrainId()));
    }

    [Fact]
    public async Task An_empty_trail_reads_as_no_entries()
    {
        var page = await Trail("account/never-audited").ReadAsync(null, 10);

        Assert.Empty(page.Entries);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task A_failed_write_leaves_no_record_and_the_next_append_takes_its_place()
    {
        var trail = Trail("account/failing");
        await trail.AppendAsync(Record(0));

        _storage.ConflictOnNextWrite(trail.GetGrainId());
        await Assert.ThrowsAsync<InconsistentStateException>(() => trail.AppendAsync(Record(1)));
        Assert.Equal(1, await trail.AppendAsync(Record(2)));

        var entries = await ReadAllAsync(trail, limit: 10);
        Assert.Equal(["ops-2", "ops-0"], entries.Select(entry => entry.Record.Actor));
    }

    [Fact]
    public async Task A_page_stored_by_an_append_whose_answer_was_lost_is_written_again_by_the_retry()
    {
        var trail = Trail("account/lost-answer");
        for (var i = 0; i < AuditGrain.PageSize - 1; i++)
        {
            await trail.AppendAsync(Record(i));
        }

        _storage.LoseAnswerToNextWrite(trail.GetGrainId()); // the full page's write
        var lost = await Assert.ThrowsAsync<OrleansException>(() => trail.AppendAsync(Record(AuditGrain.PageSize - 1)));
        Assert.IsType<TimeoutException>(lost.InnerException);
        Assert.Equal(AuditGrain.PageSize - 1, await trail.AppendAsync(Record(AuditGrain.PageSize - 1)));
        await trail.AppendAsync(Record(AuditGrain.PageSize));

        var entries = await ReadAllAsync(trail, limit: 50);
        Assert.Equal(Enumerable.Range(0, AuditGrain.PageSize + 1).Reverse().Select(i => $"ops-{i}"), entries.Select(entry => entry.Record.Actor));
    }
}
