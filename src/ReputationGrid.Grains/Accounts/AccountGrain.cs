using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// One account. Thin: the scoring core decides, the <see cref="AccountStore"/> says when the state is stored, and this
/// grain connects them to Orleans (its storage, scheduler and lifetime) and records metrics.
/// </summary>
public sealed class AccountGrain : Grain, IAccountGrain, IDueFlush, IAccountStoreOwner
{
    /// <summary>The name the state is stored under (the row key in Azure Table storage).</summary>
    public const string StateName = "account";

    private readonly AccountStore _store;
    private readonly IOptionsMonitor<ScoringPolicy> _policy;
    private readonly TimeProvider _time;
    private readonly ReputationMetrics _metrics;
    private readonly AccountFlushScheduler _flushes;

    public AccountGrain(
        IOptions<AccountGrainOptions> options,
        IOptionsMonitor<ScoringPolicy> policy,
        TimeProvider time,
        ReputationMetrics metrics,
        AccountFlushScheduler flushes,
        ILogger<AccountGrain> logger)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _store = new AccountStore(new GrainAccountStateStorage(StateName, GrainContext, storage), this, logger);
        _policy = policy;
        _time = time;
        _metrics = metrics;
        _flushes = flushes;
    }

    private ScoringPolicy Policy => _policy.CurrentValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _metrics.AccountActivated();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _metrics.AccountDeactivated();
        return _store.CloseAsync();
    }

    public async Task<SendDecision> CheckSendAsync(DateTimeOffset at, MessageDetails message)
    {
        var started = Stopwatch.GetTimestamp();
        var account = await _store.ReadAsync();
        var decision = account.CheckSend(at, message.ToOutgoing(), Policy, out var change);
        await SaveAsync(change);
        _metrics.Decided(decision.Action, Stopwatch.GetElapsedTime(started));
        return SendDecision.From(decision);
    }

    public async Task RecordAsync(ImmutableArray<AccountEvent> events)
    {
        var account = await _store.ReadAsync();
        var change = EnforcementChange.None;
        foreach (var accountEvent in events)
        {
            var type = AccountEventTypes.Of(accountEvent);
            type.Record(account.Behaviour, accountEvent);
            var next = account.Reassess(accountEvent.At, Policy);
            change = next > change ? next : change;
            _metrics.EventIngested(type.Name);
        }

        await SaveAsync(change);
    }

    public async Task<AccountView> GetViewAsync() => View(await _store.ReadAsync());

    public async Task<AccountView> ApplyOperatorActionAsync(OperatorAction action)
    {
        var account = await _store.ReadAsync();
        account.Enforcement.ApplyOverride(action.Command, _time.GetUtcNow(), action.By, action.Note, action.Until);
        await SaveAsync(EnforcementChange.Standing);
        return View(account);
    }

    private Task SaveAsync(EnforcementChange change)
    {
        if (change != EnforcementChange.None)
        {
            _metrics.EnforcementChanged(_store.Account.Enforcement.AutomaticAction);
        }

        return _store.SaveAsync(change);
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

    string IDueFlush.Account => this.GetPrimaryKeyString();

    string IAccountStoreOwner.Account => this.GetPrimaryKeyString();

    void IAccountStoreOwner.ScheduleFlush() => _flushes.Schedule(this);

    void IAccountStoreOwner.Leave() => DeactivateOnIdle();

    /// <summary>
    /// Called by the <see cref="AccountFlushScheduler"/> on its own thread: the flush runs on this activation's
    /// scheduler, interleaved with calls like a timer, never at the same time as one.
    /// </summary>
    Task IDueFlush.FlushWhenDue()
    {
        if (_store.IsClosing)
        {
            return Task.CompletedTask;
        }

        var flush = new Task<Task>(static store => ((AccountStore)store!).FlushAsync(), _store);
        GrainContext.Scheduler.QueueTask(flush);
        return flush.Unwrap();
    }
}
