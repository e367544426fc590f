using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orleans.Storage;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Grains.Tests;

/// <summary>When the account store reads and writes, against a storage that versions what it holds as grain storage does.</summary>
public sealed class AccountStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly VersionedStorage _storage = new();
    private readonly Owner _owner = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogger<FlushFailures> _log = new();
    private readonly FlushFailures _flushFailures;

    public AccountStoreTests() =>
        _flushFailures = new FlushFailures(new ReputationMetrics(_services.GetRequiredService<IMeterFactory>()), _log);

    public void Dispose() => _services.Dispose();

    private AccountStore NewStore(IAccountStateStorage? storage = null) => new(storage ?? _storage, _owner, _flushFailures);

    private MetricCollector<long> Collect(string instrument) =>
        new(_services.GetRequiredService<IMeterFactory>(), ReputationMetrics.MeterName, instrument);

    private static void Change(AccountReputation account, int minute) =>
        account.Behaviour.RecordReply(Now.AddMinutes(minute));

    [Fact]
    public async Task Overlapping_first_calls_share_one_read_of_what_is_stored()
    {
        var stored = new AccountReputation();
        Change(stored, 0);
        _storage.Stored = stored.Encode();
        _storage.HoldReads = new TaskCompletionSource();
        var store = NewStore();

        var first = store.ReadAsync();
        var second = store.ReadAsync();
        _storage.HoldReads.SetResult();

        Assert.Same(await first, await second);
        Assert.Equal(1, _storage.Reads);
        Assert.Equal(stored.Encode(), (await first).Encode());
    }

    [Fact]
    public async Task Counters_wait_for_one_scheduled_flush()
    {
        var store = NewStore();
        var account = await store.ReadAsync();
        for (var i = 0; i < 3; i++)
        {
            Change(account, i);
            await store.SaveAsync(EnforcementChange.Throttle);
        }

        Assert.Equal(0, _storage.Writes);
        Assert.Equal(1, _owner.FlushesScheduled);

        await store.FlushAsync();
        Assert.Equal(1, _storage.Writes);
        Assert.Equal(account.Encode(), _storage.Stored);

        await store.FlushAsync(); // nothing changed since
        Assert.Equal(1, _storage.Writes);
    }

    [Fact]
    public async Task A_change_of_standing_is_stored_before_the_save_completes()
    {
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        _storage.HoldWrites = new TaskCompletionSource();

        var saving = store.SaveAsync(EnforcementChange.Standing);
        Assert.False(saving.IsCompleted);
        _storage.HoldWrites.SetResult();
        await saving;

        Assert.Equal(1, _storage.Writes);
        Assert.Equal(0, _owner.FlushesScheduled);
    }

    [Fact]
    public async Task A_change_of_standing_whose_write_failed_is_written_by_the_next_save_whatever_it_changed()
    {
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        _storage.FailNextWrite = new TimeoutException("storage timed out");

        await Assert.ThrowsAsync<TimeoutException>(() => store.SaveAsync(EnforcementChange.Standing));
        Assert.Null(_storage.Stored);

        await store.SaveAsync(EnforcementChange.None);
        Assert.Equal(account.Encode(), _storage.Stored);
    }

    [Fact]
    public async Task A_failed_flush_is_tried_again_at_the_next_interval()
    {
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        await store.SaveAsync(EnforcementChange.None);
        _storage.FailNextWrite = new TimeoutException("storage timed out");

        await store.FlushAsync();
        Assert.Null(_storage.Stored);
        Assert.Equal(2, _owner.FlushesScheduled);

        await store.FlushAsync();
        Assert.Equal(account.Encode(), _storage.Stored);
    }

    [Fact]
    public async Task Failed_flushes_are_retried_counted_each_and_logged_once_until_one_succeeds()
    {
        using var failures = Collect("reputationgrid.accounts.flush.failures");
        var accounts = new List<(AccountStore Store, AccountReputation Account, FailingWrites Storage)>();
        for (var i = 0; i < 3; i++)
        {
            var storage = new FailingWrites(new VersionedStorage());
            var store = NewStore(storage);
            var account = await store.ReadAsync();
            Change(account, i);
            await store.SaveAsync(EnforcementChange.None);
            accounts.Add((store, account, storage));
        }

        accounts.ForEach(a => a.Storage.Failing = true);
        foreach (var (store, _, _) in accounts)
        {
            await store.FlushAsync();
            await store.FlushAsync(); // the retry at the next interval, storage still failing
        }

        Assert.Equal(6, failures.GetMeasurementSnapshot().Sum(m => m.Value));
        var warning = Assert.Single(_log.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.IsType<TimeoutException>(warning.Exception);

        accounts.ForEach(a => a.Storage.Failing = false);
        foreach (var (store, _, _) in accounts)
        {
            await store.FlushAsync();
        }

        Assert.All(accounts, a => Assert.Equal(a.Account.Encode(), a.Storage.Inner.Stored));
        var recovered = Assert.Single(_log.Collector.GetSnapshot(), r => r.Level == LogLevel.Information);
        Assert.Contains("after 6 failed", recovered.Message, StringComparison.Ordinal);
        Assert.Single(_log.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal(6, failures.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task A_flush_that_landed_but_reported_failure_counts_as_written_when_retried()
    {
        using var failures = Collect("reputationgrid.accounts.flush.failures");
        using var lost = Collect("reputationgrid.accounts.flush.lost");
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        await store.SaveAsync(EnforcementChange.None);
        _storage.LoseAnswerToNextWrite = true;

        await store.FlushAsync();
        Assert.Equal(1, failures.GetMeasurementSnapshot().Sum(m => m.Value));
        Change(account, 1);
        await store.FlushAsync(); // meets the version its lost write made: its own, so written over

        Assert.Equal(account.Encode(), _storage.Stored);
        Assert.Empty(lost.GetMeasurementSnapshot());
        Assert.Equal(0, _owner.Left);
    }

    [Fact]
    public async Task Of_several_failed_flushes_the_one_that_landed_is_recognised_as_its_own()
    {
        // A saturated storage: the first flush lands but its caller times out, the next times out before it lands.
        using var lost = Collect("reputationgrid.accounts.flush.lost");
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        await store.SaveAsync(EnforcementChange.None);
        _storage.LoseAnswerToNextWrite = true;
        await store.FlushAsync();
        Change(account, 1);
        _storage.FailNextWrite = new TimeoutException("storage timed out");
        await store.FlushAsync();

        Change(account, 2);
        await store.FlushAsync(); // meets the version the first made: its own, so written over

        Assert.Equal(account.Encode(), _storage.Stored);
        Assert.Empty(lost.GetMeasurementSnapshot());
        Assert.Equal(0, _owner.Left);
    }

    [Fact]
    public async Task A_write_over_its_own_earlier_write_that_landed_but_reported_failure_is_its_own_too()
    {
        using var lost = Collect("reputationgrid.accounts.flush.lost");
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        await store.SaveAsync(EnforcementChange.None);
        _storage.LoseAnswerToNextWrite = true;
        await store.FlushAsync();
        Change(account, 1);
        _storage.LoseAnswerToNextWrite = true; // the write over the first lands, and its answer is lost too
        await store.FlushAsync();

        Change(account, 2);
        await store.FlushAsync();

        Assert.Equal(account.Encode(), _storage.Stored);
        Assert.Empty(lost.GetMeasurementSnapshot());
        Assert.Equal(0, _owner.Left);
    }

    [Fact]
    public async Task A_flush_superseded_by_another_activation_is_counted_as_lost()
    {
        using var lost = Collect("reputationgrid.accounts.flush.lost");
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        await store.SaveAsync(EnforcementChange.None);
        _storage.WrittenElsewhere([1, 2, 3]);

        await store.FlushAsync();

        Assert.Equal(1, lost.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, _owner.Left);
        Assert.Equal([1, 2, 3], _storage.Stored);
    }

    [Fact]
    public async Task A_newer_state_in_storage_makes_the_account_leave_without_writing_again()
    {
        var store = NewStore();
        var account = await store.ReadAsync();
        _storage.WrittenElsewhere([1, 2, 3]);
        Change(account, 0);

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.SaveAsync(EnforcementChange.Standing));
        Assert.Equal(1, _owner.Left);

        Change(account, 1);
        await store.CloseAsync();
        Assert.Equal([1, 2, 3], _storage.Stored);
    }

    [Fact]
    public async Task A_write_that_landed_but_reported_failure_is_recognised_as_its_own_and_written_over()
    {
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        _storage.LoseAnswerToNextWrite = true;
        await Assert.ThrowsAsync<TimeoutException>(() => store.SaveAsync(EnforcementChange.Standing));

        Change(account, 1);
        await store.SaveAsync(EnforcementChange.Standing);

        Assert.Equal(0, _owner.Left);
        Assert.Equal(account.Encode(), _storage.Stored);
    }

    [Fact]
    public async Task A_write_that_conflicted_with_its_own_retried_copy_counts_as_written()
    {
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        _storage.ConflictAfterApplyingNextWrite = true;

        await store.SaveAsync(EnforcementChange.Standing);

        Assert.Equal(0, _owner.Left);
        Assert.Equal(account.Encode(), _storage.Stored);
        Change(account, 1);
        await store.SaveAsync(EnforcementChange.Standing); // and the store holds the version that write made
        Assert.Equal(account.Encode(), _storage.Stored);
    }

    [Fact]
    public async Task Closing_writes_unflushed_counters_and_nothing_when_all_is_stored()
    {
        var store = NewStore();
        var account = await store.ReadAsync();
        Change(account, 0);
        await store.SaveAsync(EnforcementChange.None);

        await store.CloseAsync();
        Assert.Equal(1, _storage.Writes);
        Assert.True(store.IsClosing);

        await store.FlushAsync(); // a flush that falls due after closing has nothing to do
        await store.CloseAsync();
        Assert.Equal(1, _storage.Writes);
    }

    [Fact]
    public async Task A_finished_write_is_not_kept_by_the_store_until_its_next_write()
    {
        var store = NewStore();
        Change(await store.ReadAsync(), 0);

        var write = await StandingWrittenAsync(store);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Kept, it would be a young object referenced by a long-lived store until the account's next write.
        Assert.False(write.IsAlive);
        Assert.Equal(1, _storage.Writes);
        await store.CloseAsync(); // nothing left to write
        Assert.Equal(1, _storage.Writes);
    }

    /// <summary>A change of standing written by a write that completes later, as storage does; the write is then only weakly held.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<WeakReference> StandingWrittenAsync(AccountStore store)
    {
        _storage.HoldWrites = new TaskCompletionSource();
        var saving = store.SaveAsync(EnforcementChange.Standing);
        Assert.False(saving.IsCompleted);
        _storage.HoldWrites.SetResult();
        _storage.HoldWrites = null;
        await saving;
        return new WeakReference(saving);
    }

    /// <summary>Fails every write while <see cref="Failing"/>, as a saturated storage times out; otherwise the inner storage's.</summary>
    private sealed class FailingWrites(VersionedStorage inner) : IAccountStateStorage
    {
        public VersionedStorage Inner => inner;

        public bool Failing { get; set; }

        public Task<byte[]?> ReadAsync() => inner.ReadAsync();

        public Task WriteAsync(byte[] encoded) => Failing ? Task.FromException(new TimeoutException("storage is saturated")) : inner.WriteAsync(encoded);
    }

    private sealed class Owner : IAccountStoreOwner
    {
        public int FlushesScheduled { get; private set; }

        public int Left { get; private set; }

        public string Account => "account-1";

        public void ScheduleFlush() => FlushesScheduled++;

        public void Leave() => Left++;
    }

    /// <summary>Keeps one state and a version that every write must match, as grain storage keeps an ETag.</summary>
    private sealed class VersionedStorage : IAccountStateStorage
    {
        private int _version;
        private int _versionRead;

        public byte[]? Stored { get; set; }

        public int Reads { get; private set; }

        public int Writes { get; private set; }

        public TaskCompletionSource? HoldReads { get; set; }

        public TaskCompletionSource? HoldWrites { get; set; }

        public Exception? FailNextWrite { get; set; }

        public bool LoseAnswerToNextWrite { get; set; }

        /// <summary>The next write is applied, then reported as a conflict, as a client's retry of it would be.</summary>
        public bool ConflictAfterApplyingNextWrite { get; set; }

        public void WrittenElsewhere(byte[] state)
        {
            Stored = state;
            _version++;
        }

        public async Task<byte[]?> ReadAsync()
        {
            Reads++;
            if (HoldReads is { } hold)
            {
                await hold.Task;
            }

            _versionRead = _version;
            return Stored;
        }

        public async Task WriteAsync(byte[] encoded)
        {
            if (HoldWrites is { } hold)
            {
                await hold.Task;
            }

            if (FailNextWrite is { } failure)
            {
                FailNextWrite = null;
                throw failure;
            }

            if (_versionRead != _version)
            {
                throw new InconsistentStateException("The stored state is newer than the one read.");
            }

            Writes++;
            Stored = encoded;
            _version++;
            if (ConflictAfterApplyingNextWrite)
            {
                ConflictAfterApplyingNextWrite = false;
                throw new InconsistentStateException("The retried write met the version its first try made.");
            }

            if (LoseAnswerToNextWrite)
            {
                LoseAnswerToNextWrite = false;
                throw new TimeoutException("the answer to the write was lost");
            }

            _versionRead = _version;
        }
    }
}
