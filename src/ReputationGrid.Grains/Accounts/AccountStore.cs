using System.IO.Hashing;
using Orleans.Storage;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Grains.Accounts;

/// <summary>One account's stored state, as the <see cref="AccountStore"/> reads and writes it.</summary>
internal interface IAccountStateStorage
{
    /// <summary>Reads the stored encoding (null when nothing is stored) and its version, which the next write must match.</summary>
    Task<byte[]?> ReadAsync();

    /// <summary>Stores <paramref name="encoded"/>; throws <see cref="InconsistentStateException"/> when storage holds a newer version.</summary>
    Task WriteAsync(byte[] encoded);
}

/// <summary>What an <see cref="AccountStore"/> asks of the activation that owns it.</summary>
internal interface IAccountStoreOwner
{
    /// <summary>The account's id, for the log.</summary>
    string Account { get; }

    /// <summary>Have <see cref="AccountStore.FlushAsync"/> called on the activation's scheduler once a flush interval has passed.</summary>
    void ScheduleFlush();

    /// <summary>Storage holds a newer state than this activation: it must leave, so that the account's next call reads that state.</summary>
    void Leave();
}

/// <summary>
/// When one account's state is read and written. A change of standing (<see cref="EnforcementChange.Standing"/>) is
/// stored before the call that caused it answers; anything else marks the state dirty and is written by a flush at most
/// once per flush interval, or when the account closes. Not thread-safe: the owning activation serialises calls, and
/// flushes run on its scheduler.
/// </summary>
internal sealed class AccountStore(IAccountStateStorage storage, IAccountStoreOwner owner, FlushFailures flushFailures)
{
    private const int MaxUnconfirmedWrites = 64;

    private AccountReputation? _account; // read by the first call
    private Task<AccountReputation>? _reading;
    private bool _dirty; // changed in memory since the last successful write
    private bool _mustPersist; // a change of standing is not yet stored: no answer may go out before it is
    private bool _flushScheduled;
    private volatile bool _closing; // read by the flush scheduler's thread
    private bool _superseded; // storage holds a newer state than this activation's: it must not write again
    private Task _lastWrite = Task.CompletedTask; // the write in flight, or the completed task once none is
    private int _writesStarted;
    private List<ulong>? _unconfirmedWrites; // hashes of the writes that failed since the last confirmed one: any may have landed

    /// <summary>Whether the account is leaving: a flush that falls due now has nothing left to do.</summary>
    public bool IsClosing => _closing;

    /// <summary>The account, once a call has read it: every write and change follows a call that did.</summary>
    public AccountReputation Account => _account ?? throw new InvalidOperationException("The account was used before it was read.");

    /// <summary>
    /// The account, read from storage by its first call. Calls that overlap (read-only ones may) share one read; a failed
    /// read fails its calls and the next call reads again.
    /// </summary>
    public ValueTask<AccountReputation> ReadAsync()
    {
        if (_account is { } account)
        {
            return ValueTask.FromResult(account);
        }

        var reading = _reading ?? ReadStoredAsync();
        _reading = reading.IsCompleted ? null : reading; // a read that completes later clears it itself
        return new(reading);
    }

    private async Task<AccountReputation> ReadStoredAsync()
    {
        try
        {
            return _account = AccountReputation.Decode(await storage.ReadAsync());
        }
        finally
        {
            _reading = null;
        }
    }

    /// <summary>Records that the account changed as <paramref name="change"/> says; completes once it is as durable as that change must be.</summary>
    public Task SaveAsync(EnforcementChange change)
    {
        _dirty = true;
        _mustPersist |= change == EnforcementChange.Standing;
        if (_mustPersist)
        {
            return WriteAsync();
        }

        // Counters, and a throttle that they renew at every check: coalesced into one write per flush interval.
        if (!_flushScheduled)
        {
            _flushScheduled = true;
            owner.ScheduleFlush();
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes what changed since the last write; a failure is counted and retried at the next interval.</summary>
    public async Task FlushAsync()
    {
        _flushScheduled = false;
        if (!_dirty || _closing)
        {
            return;
        }

        try
        {
            await WriteAsync();
            flushFailures.Succeeded();
        }
        catch (InconsistentStateException)
        {
            // Superseded: the account is leaving, and its next call reads the stored state.
            flushFailures.Lost(owner.Account);
        }
        catch (Exception e)
        {
            flushFailures.Failed(owner.Account, e);
            await SaveAsync(EnforcementChange.None);
        }
    }

    /// <summary>The account is leaving: completes once its state is stored (unless another activation's newer state is).</summary>
    public Task CloseAsync()
    {
        _closing = true;
        if (_superseded)
        {
            return Task.CompletedTask;
        }

        // A flush may be writing already; either way the account leaves only once its state is stored.
        return _dirty ? WriteAsync() : _lastWrite;
    }

    /// <summary>
    /// Writes are chained one after another: a flush interleaves with calls, and two writes in flight at once would
    /// conflict on the version. Each write stores the state as it is when it starts.
    /// </summary>
    private Task WriteAsync() => _lastWrite = WriteAfterAsync(_lastWrite, ++_writesStarted);

    private async Task WriteAfterAsync(Task previous, int number)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That write's caller has the error; this write carries its changes too.
        }

        var persisting = _mustPersist;
        var encoded = Account.Encode();
        _dirty = false;
        _mustPersist = false;
        try
        {
            await WriteEncodedAsync(encoded);
            if (number == _writesStarted)
            {
                // No write is chained after this one: a finished write kept until the next flush would be a young
                // object referenced by this long-lived store, which every young collection until then marks through.
                _lastWrite = Task.CompletedTask;
            }
        }
        catch (InconsistentStateException)
        {
            // Another activation of this account stored a newer state (Orleans can activate an account twice while a
            // silo stops). This copy can never be written: it leaves, and the account's next call activates it afresh
            // from what is stored. Its unwritten counters are lost, as in a crash.
            _superseded = true;
            owner.Leave();
            throw;
        }
        catch
        {
            _dirty = true;
            _mustPersist |= persisting;
            throw;
        }
    }

    /// <summary>
    /// Stores <paramref name="encoded"/>. A write can land and still report failure: a storage that times out after
    /// applying it (a saturated storage applies writes queued long after their callers gave up), or a storage client
    /// that retried it after a lost answer and met the version its first try made. So a conflict is checked against
    /// what storage holds: this very state is success, and the state of any of this activation's writes that failed
    /// since its last confirmed one is its own (they all carried the version it last knew, so at most one of them
    /// landed), written over; anything else is another activation's.
    /// </summary>
    private async Task WriteEncodedAsync(byte[] encoded)
    {
        try
        {
            await WriteOrReconcileAsync(encoded);
            _unconfirmedWrites = null;
        }
        catch (Exception e) when (e is not InconsistentStateException)
        {
            RememberUnconfirmed(encoded);
            throw;
        }
    }

    private async Task WriteOrReconcileAsync(byte[] encoded)
    {
        try
        {
            await storage.WriteAsync(encoded);
        }
        catch (InconsistentStateException)
        {
            var stored = await storage.ReadAsync();
            if (stored is not null && stored.AsSpan().SequenceEqual(encoded))
            {
                return;
            }

            if (stored is null || _unconfirmedWrites?.Contains(XxHash3.HashToUInt64(stored)) != true)
            {
                throw;
            }

            await storage.WriteAsync(encoded);
        }
    }

    /// <summary>
    /// Keeps the hash of a failed write, not its bytes: an account whose writes fail for minutes keeps a few bytes a
    /// failure. Only the latest <see cref="MaxUnconfirmedWrites"/> are kept; a conflict with an older one counts as
    /// another activation's (counted and logged as a lost flush, never silent).
    /// </summary>
    private void RememberUnconfirmed(byte[] encoded)
    {
        _unconfirmedWrites ??= [];
        if (_unconfirmedWrites.Count == MaxUnconfirmedWrites)
        {
            _unconfirmedWrites.RemoveAt(0);
        }

        _unconfirmedWrites.Add(XxHash3.HashToUInt64(encoded));
    }
}
