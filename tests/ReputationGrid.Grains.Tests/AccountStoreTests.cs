using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Grains.Tests;

/// <summary>When the account store reads and writes, against a storage that versions what it holds as grain storage does.</summary>
public sealed class AccountStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly VersionedStorage _storage = new();
    private readonly Owner _owner = new();

    private AccountStore NewStore() => new(_storage, _owner, NullLogger.Instance);

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
