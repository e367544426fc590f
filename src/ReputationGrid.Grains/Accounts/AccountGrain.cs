using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Core;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// One account. Thin: the scoring core decides; this grain owns the state's lifetime and durability.
/// A change of standing (a challenge, suspension or ban beginning or ending, an operator's action) is stored
/// before the call that caused it returns; behaviour counters, and the throttle they renew at every check, are
/// flushed at most once per <see cref="AccountGrainOptions.FlushInterval"/> and on deactivation.
/// </summary>
public sealed partial class AccountGrain : Grain, IAccountGrain, IDueFlush
{
    /// <summary>The name the state is stored under (the row key in Azure Table storage).</summary>
    public const string StateName = "account";

    // The storage bridge is used without Orleans' persistent-state facet, which would subscribe every
    // account to the activation lifecycle and to migration: about 400 bytes each. The state is read by the
    // account's first call instead (ReadAsync), and an account moved to another silo reads it back from storage.
    private readonly StateStorageBridge<AccountState> _state;
    private readonly IOptionsMonitor<ScoringPolicy> _policy;
    private readonly TimeProvider _time;
    private readonly ReputationMetrics _metrics;
    private readonly AccountFlushScheduler _flushes;
    private readonly ILogger<AccountGrain> _logger;
    private AccountReputation? _account; // read by the first call (ReadAsync), not at activation
    private Task<AccountReputation>? _reading;
    private bool _dirty; // changed in memory since the last successful write
    private bool _mustPersist; // a change of standing is not yet stored: no answer may go out before it is
    private bool _flushScheduled;
    private volatile bool _deactivating; // read by the flush scheduler's thread
    private bool _superseded; // storage holds a newer state than this activation's: it must not write again
    private Task _lastWrite = Task.CompletedTask;
    private byte[]? _unconfirmedWrite; // the last write that failed without a conflict: it may have landed all the same

    public AccountGrain(
        IOptions<AccountGrainOptions> options,
        IOptionsMonitor<ScoringPolicy> policy,
        TimeProvider time,
        ReputationMetrics metrics,
        AccountFlushScheduler flushes,
        ILogger<AccountGrain> logger)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _state = new StateStorageBridge<AccountState>(StateName, GrainContext, storage);
        _policy = policy;
        _time = time;
        _metrics = metrics;
        _flushes = flushes;
        _logger = logger;
    }

    private ScoringPolicy Policy => _policy.CurrentValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _metrics.AccountActivated();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The account, read from storage by the activation's first call rather than in OnActivateAsync. Read at activation,
    /// it made every later call cost the collector more: each young collection spent 5.5 ms scanning old objects written
    /// since the last one against 3.7 ms, and the send check ran 10 % slower (docs/BENCHMARKS.md, section 9). The likely
    /// reason: Orleans makes an activation's table of running requests when its first call starts and writes to it on
    /// every call, so what the activation keeps from before then (the read's results) separates it from the activation's
    /// other per-call fields, and each call dirties more of the heap's cards.
    /// Calls that overlap (read-only ones may) share one read; a failed read fails its calls and the next call reads again.
    /// </summary>
    private ValueTask<AccountReputation> ReadAsync()
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
            await _state.ReadStateAsync();
            _account = AccountReputation.Decode(_state.State.Reputation);
            _state.State.Reputation = null; // the decoded account is the state now: keeping its encoding too would double its memory
            return _account;
        }
        finally
        {
            _reading = null;
        }
    }

    /// <summary>The account, once a call has read it: every write and change follows a call that did.</summary>
    private AccountReputation Account => _account ?? throw new InvalidOperationException("The account was used before it was read.");

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        _metrics.AccountDeactivated();
        if (_superseded)
        {
            return;
        }

        // A flush may be writing already; either way the account leaves only once its state is stored.
        await (_dirty ? WriteAsync() : _lastWrite);
    }

    public async Task<SendDecision> CheckSendAsync(DateTimeOffset at, MessageDetails message)
    {
        var started = Stopwatch.GetTimestamp();
        var account = await ReadAsync();
        var decision = account.CheckSend(at, message.ToOutgoing(), Policy, out var change);
        await PersistAsync(change);
        _metrics.Decided(decision.Action, Stopwatch.GetElapsedTime(started));
        return SendDecision.From(decision);
    }

    public async Task RecordAsync(ImmutableArray<AccountEvent> events)
    {
        var account = await ReadAsync();
        var change = EnforcementChange.None;
        foreach (var accountEvent in events)
        {
            var type = AccountEventTypes.Of(accountEvent);
            type.Record(account.Behaviour, accountEvent);
            var next = account.Reassess(accountEvent.At, Policy);
            change = next > change ? next : change;
            _metrics.EventIngested(type.Name);
        }

        await PersistAsync(change);
    }

    public async Task<AccountView> GetViewAsync() => View(await ReadAsync());

    public async Task<AccountView> ApplyOperatorActionAsync(OperatorAction action)
    {
        var account = await ReadAsync();
        account.Enforcement.ApplyOverride(action.Command, _time.GetUtcNow(), action.By, action.Reason, action.Until);
        await PersistAsync(EnforcementChange.Standing);
        return View(account);
    }

    private AccountView View(AccountReputation account)
    {
        var review = account.Review(_time.GetUtcNow(), Policy);
        return new AccountView(
            this.GetPrimaryKeyString(),
            review.Known,
            review.Decision.Action,
            review.Decision.Score,
            [.. review.Decision.Reasons],
            review.Since,
            review.Decision.Until,
            review.Features.ToDictionary(),
            [.. review.History.Select(AccountHistoryEntry.From)],
            review.Decision.PolicyVersion);
    }

    private Task PersistAsync(EnforcementChange change)
    {
        _dirty = true;
        if (change != EnforcementChange.None)
        {
            _metrics.EnforcementChanged(Account.Enforcement.AutomaticAction);
        }

        // A throttle rides with the counters that renew it: writing each flip between allow and throttle before
        // answering put a storage write on the hot path of every account at its limit (docs/BENCHMARKS.md, section 8).
        if (change == EnforcementChange.Standing)
        {
            _mustPersist = true;
        }

        if (_mustPersist)
        {
            return WriteAsync();
        }

        // Counters only: coalesce into one write per flush interval.
        if (!_flushScheduled)
        {
            _flushScheduled = true;
            _flushes.Schedule(this);
        }

        return Task.CompletedTask;
    }

    string IDueFlush.Account => this.GetPrimaryKeyString();

    /// <summary>
    /// Called by the <see cref="AccountFlushScheduler"/> on its own thread: the flush runs on this
    /// activation's scheduler, interleaved with calls like a timer, never at the same time as one.
    /// </summary>
    Task IDueFlush.FlushWhenDue()
    {
        if (_deactivating)
        {
            return Task.CompletedTask;
        }

        var flush = new Task<Task>(static account => ((AccountGrain)account!).FlushAsync(), this);
        GrainContext.Scheduler.QueueTask(flush);
        return flush.Unwrap();
    }

    private async Task FlushAsync()
    {
        _flushScheduled = false;
        if (!_dirty || _deactivating)
        {
            return;
        }

        try
        {
            await WriteAsync();
        }
        catch (InconsistentStateException)
        {
            // Superseded (see WriteAfterAsync): the account is leaving, and its next call reads the stored state.
        }
        catch (Exception e)
        {
            // Keep the counters in memory and try again next interval; a deactivation also retries.
            LogFlushFailed(e, this.GetPrimaryKeyString());
            await PersistAsync(EnforcementChange.None);
        }
    }

    /// <summary>
    /// Writes are chained one after another: a flush interleaves with calls, and two writes in
    /// flight at once would conflict on the ETag. Each write stores the state as it is when it starts.
    /// </summary>
    private Task WriteAsync() => _lastWrite = WriteAfterAsync(_lastWrite);

    private async Task WriteAfterAsync(Task previous)
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
        }
        catch (InconsistentStateException)
        {
            // Another activation of this account stored a newer state (Orleans can activate an account twice while
            // a silo stops, dotnet/orleans#5687). This copy can never be written: it leaves, and the account's next
            // call activates it afresh from what is stored. Its unwritten counters are lost, as in a crash.
            _superseded = true;
            DeactivateOnIdle();
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
    /// Stores <paramref name="encoded"/>. A write can fail and still land (a storage that times out after applying it);
    /// the ETag it made is then unknown here, and the next write meets it as a newer state. If that state is the very
    /// one this activation last failed to write, it is its own: the write is made again over it, rather than the
    /// account leaving as if another activation had written.
    /// </summary>
    private async Task WriteEncodedAsync(byte[] encoded)
    {
        try
        {
            _state.State.Reputation = encoded;
            await _state.WriteStateAsync();
            _unconfirmedWrite = null;
        }
        catch (InconsistentStateException) when (_unconfirmedWrite is { } unconfirmed)
        {
            await _state.ReadStateAsync(); // the stored state and its ETag
            if (_state.State.Reputation is not { } stored || !stored.AsSpan().SequenceEqual(unconfirmed))
            {
                throw;
            }

            _unconfirmedWrite = null;
            _state.State.Reputation = encoded;
            await _state.WriteStateAsync();
        }
        catch (Exception e) when (e is not InconsistentStateException)
        {
            _unconfirmedWrite = encoded;
            throw;
        }
        finally
        {
            _state.State.Reputation = null; // stored (or to be encoded afresh for the retry): not kept in memory
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flushing account {Account} failed; retrying at the next interval.")]
    private partial void LogFlushFailed(Exception exception, string account);
}
