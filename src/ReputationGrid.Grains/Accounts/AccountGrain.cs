using System.Collections.Immutable;
using System.Diagnostics;
using Orleans.Core;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Learning;
using ReputationGrid.Grains.Linking;
using ReputationGrid.Grains.Policy;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Linking;
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

    /// <summary>The name the account's links are stored under, written only when a device or network link is added.</summary>
    public const string LinksStateName = "links";

    private readonly AccountStore _store;
    private readonly AccountGrainServices _services;

    // Kept only once links are stored: with nothing stored, a new bridge writes exactly as the one that read, and most
    // accounts have no stored links.
    private StateStorageBridge<AccountLinksState>? _links;
    private List<AccountLink>? _newLinks; // made by the first report of new links: most activations never make one
    private TrainingDataRecorder _trainingData; // not readonly: a mutable struct
    private Task? _readingLinks;
    private ScoreSamples _scores; // not readonly: a mutable struct
    private HistoryEntry? _lastReportedChange;

    public AccountGrain(AccountGrainServices services)
    {
        _services = services;
        _store = new AccountStore(new GrainAccountStateStorage(StateName, GrainContext, services.Storage), this, services.FlushFailures);
    }

    /// <summary>The live policy: the one place accounts read it.</summary>
    private ScoringPolicy Policy => _services.Policy.Current.Live;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _services.Policy.ReadyAsync(); // at once after the silo's first poll of the cluster's policy
        _services.Metrics.AccountActivated();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _services.Metrics.AccountDeactivated();
        return _store.CloseAsync();
    }

    public async Task<SendDecision> CheckSendAsync(DateTimeOffset at, MessageDetails message)
    {
        var started = Stopwatch.GetTimestamp();
        var account = await ReadAsync();
        if (account.Behaviour.Registration is { } registration && at < registration.At)
        {
            throw DatedBeforeRegistration("send check", at, registration.At, "nothing was recorded.");
        }

        var policies = _services.Policy.Current;
        var shadow = policies.Shadow;
        var decision = account.CheckSend(at, message.ToOutgoing(), policies.Live, shadow?.Policy, out var change, out var shadowDecision);
        if (shadow is not null && shadow.Tally.Count(decision, shadowDecision))
        {
            shadow.Tally.Sample(this.GetPrimaryKeyString(), at, decision, shadowDecision);
        }

        _scores.Record(at, decision.Score);
        ReportLinks(account, at);
        await SaveAsync(change);
        _trainingData.Checked(GrainFactory, this, account, at, change, policies.Live);
        _services.Metrics.Decided(decision.Action, Stopwatch.GetElapsedTime(started));
        _services.Activity.Decided(decision);
        return SendDecision.From(decision);
    }

    public async Task RecordAsync(ImmutableArray<AccountEvent> events)
    {
        var account = await ReadAsync();
        RefuseBehaviourBeforeRegistration(events, account.Behaviour.Registration?.At);
        var standings = await StandingsAsync(events);
        var change = EnforcementChange.None;
        for (var i = 0; i < events.Length; i++)
        {
            var accountEvent = events[i];
            var type = AccountEventTypes.Of(accountEvent);
            type.Record(account, accountEvent, standings?[i] ?? ReporterStanding.Established);
            type.Link(account.Links, accountEvent);
            var next = account.Reassess(accountEvent.At, Policy);
            change = next > change ? next : change;
            _services.Metrics.EventIngested(type.Name);
        }

        if (account.Links.StoredLinksChanged)
        {
            await WriteLinksAsync(account.Links);
        }

        ReportLinks(account, account.Behaviour.LastEventAt ?? _services.Time.GetUtcNow());
        await SaveAsync(change);
        await _trainingData.RecordedAsync(GrainFactory, this, account, events, change, Policy, _services.Time.GetUtcNow());
    }

    public async Task<AccountView> GetViewAsync()
    {
        var view = View(await ReadAsync());
        if (!view.Known)
        {
            // Looking up an account that never existed stores nothing, so it keeps no activation either: a flood of
            // unknown ids then costs storage reads, not memory.
            DeactivateOnIdle();
        }

        return view;
    }

    public async Task<ReporterStanding> GetStandingAsync(DateTimeOffset at)
    {
        var account = await ReadAsync();
        if (!account.Known)
        {
            DeactivateOnIdle(); // a reporter never seen here: keep no activation for it
        }

        return account.StandingAt(at, Policy);
    }

    /// <summary>
    /// Refuses the whole batch, before anything is recorded, when a behavioural event is dated before the account's
    /// registration as known at that point of the batch: such history is forged or misdated, and recording the rest
    /// would leave the caller unable to tell what to send again.
    /// </summary>
    private static void RefuseBehaviourBeforeRegistration(ImmutableArray<AccountEvent> events, DateTimeOffset? registeredAt)
    {
        foreach (var accountEvent in events)
        {
            var type = AccountEventTypes.Of(accountEvent);
            if (accountEvent is AccountRegistered)
            {
                registeredAt = registeredAt is { } known && known <= accountEvent.At ? known : accountEvent.At;
            }
            else if (!type.AnyPastDate && registeredAt is { } registered && accountEvent.At < registered)
            {
                throw DatedBeforeRegistration(type.Name, accountEvent.At, registered,
                    $"only {string.Join(" and ", AccountEventTypes.All.Where(t => t.AnyPastDate).Select(t => t.Name))} may be. "
                    + "None of this account's events in the request were recorded.");
            }
        }
    }

    /// <summary>The refusal of <paramref name="what"/>, dated before the account's known registration: forged or misdated history.</summary>
    private static ArgumentException DatedBeforeRegistration(string what, DateTimeOffset at, DateTimeOffset registeredAt, string consequence) =>
        new($"{what} at {at:O} is dated before the account registered ({registeredAt:O}); {consequence}");

    /// <summary>
    /// The standing of whoever gave each report or block in the batch, asked of their accounts at once; null when the
    /// batch holds no feedback, as almost every batch does. Reporters answer without waiting for their own calls (see
    /// <see cref="IAccountGrain.GetStandingAsync"/>), so a reporter being reported at the same time cannot deadlock.
    /// </summary>
    private async Task<ReporterStanding[]?> StandingsAsync(ImmutableArray<AccountEvent> events)
    {
        Task<ReporterStanding>[]? asked = null;
        for (var i = 0; i < events.Length; i++)
        {
            if (AccountEventTypes.Of(events[i]).FeedbackFrom(events[i]) is { } from)
            {
                asked ??= new Task<ReporterStanding>[events.Length];
                asked[i] = GrainFactory.GetGrain<IAccountGrain>(from).GetStandingAsync(events[i].At);
            }
        }

        if (asked is null)
        {
            return null;
        }

        var standings = new ReporterStanding[events.Length];
        for (var i = 0; i < asked.Length; i++)
        {
            standings[i] = asked[i] is { } standing ? await standing : ReporterStanding.Established;
        }

        return standings;
    }

    public async Task<AccountView> ApplyOperatorActionAsync(OperatorAction action)
    {
        var account = await ReadAsync();
        account.ApplyOperatorAction(action.Command, _services.Time.GetUtcNow(), action.By, action.Note, action.Until, action.Tier, Policy);
        await SaveAsync(EnforcementChange.Standing);
        await TrainingDataRecorder.OperatorActedAsync(GrainFactory, this, action, _services.Time.GetUtcNow());
        return View(account);
    }

    public async Task UpdateLinkedRiskAsync(EntityRiskUpdate update)
    {
        try
        {
            var account = await ReadAsync();
            var now = _services.Time.GetUtcNow();
            var change = account.UpdateLink(update.Kind, update.Id, update.ToRisk(), now, Policy, update.Members);
            ReportLinks(account, account.Behaviour.LastEventAt ?? now);
            await SaveAsync(change);
        }
        finally
        {
            _services.LinkingTraffic.Handled();
        }
    }

    /// <summary>The account, with its links read by its first call (their entities then push their risk again).</summary>
    private async ValueTask<AccountReputation> ReadAsync()
    {
        var account = await _store.ReadAsync();
        if (_readingLinks is null || _readingLinks.IsFaulted)
        {
            _readingLinks = ReadLinksAsync(account); // calls that overlap share one read; a failed one is retried
        }

        await _readingLinks;
        _readingLinks = Task.CompletedTask; // the finished read's state machine would cost every active account about 100 bytes

        return account;
    }

    private async Task ReadLinksAsync(AccountReputation account)
    {
        var links = LinksStorage();
        await links.ReadStateAsync();
        account.Links = AccountLinks.Decode(links.State.Links);
        links.State.Links = null;
        _links = links.RecordExists || links.Etag is not null ? links : null;
        var id = this.GetPrimaryKeyString();
        _services.LinkingTraffic.Sent(account.Links.All.Count);
        foreach (var link in account.Links.All)
        {
            _ = GrainFactory.GetGrain<IEntityGrain>(link.Key).RefreshAsync(id);
        }
    }

    private async Task WriteLinksAsync(AccountLinks links)
    {
        var stored = _links ??= LinksStorage();
        stored.State ??= new AccountLinksState(); // a bridge that has not read holds no state yet
        stored.State.Links = links.Encode();
        try
        {
            await stored.WriteStateAsync();
        }
        finally
        {
            stored.State.Links = null;
        }
    }

    private StateStorageBridge<AccountLinksState> LinksStorage() => new(LinksStateName, GrainContext, _services.Storage);

    /// <summary>
    /// Queues, for the silo's batcher, new links and a change of what the account shows its entities. Nothing to do on
    /// almost every call, and never a wait: entities hear of the account off the send path.
    /// </summary>
    private void ReportLinks(AccountReputation account, DateTimeOffset at)
    {
        var links = account.Links;
        var flags = account.LinkFlags;
        var flagsChanged = flags != links.ReportedFlags && links.All.Count > 0;
        if (!links.HasUnreported && !flagsChanged)
        {
            return;
        }

        var id = this.GetPrimaryKeyString();
        links.ReportedFlags = flags;
        var newLinks = _newLinks ??= [];
        newLinks.Clear();
        links.TakeUnreported(newLinks);
        foreach (var link in links.All)
        {
            var isNew = newLinks.Contains(link);
            if (isNew || flagsChanged)
            {
                _services.Reports.Enqueue(link.Key, new LinkReport(id, at, isNew && link.Registration, flags));
            }
        }
    }

    private Task SaveAsync(EnforcementChange change)
    {
        if (change != EnforcementChange.None)
        {
            _services.Metrics.EnforcementChanged(_store.Account.Enforcement.AutomaticAction);
            if (_store.Account.Enforcement.History is [.., var newest] && !ReferenceEquals(newest, _lastReportedChange))
            {
                _lastReportedChange = newest;
                _services.Activity.Changed(this.GetPrimaryKeyString(), newest);
            }
        }

        var saving = _store.SaveAsync(change);
        return _store.Account.HasUnrecorded ? RecordStandingAsync(saving) : saving;
    }

    /// <summary>
    /// Once the state is stored, appends the account's standing changes to its enforcement record before the call answers,
    /// as the change itself was stored: evidence must not miss one. A failed append fails the call, and the next call
    /// tries again with whatever has not been recorded.
    /// </summary>
    private async Task RecordStandingAsync(Task saving)
    {
        await saving;
        var unrecorded = _store.Account.Unrecorded;
        var count = unrecorded.Count;
        var records = new EnforcementRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = EnforcementRecord.From(unrecorded[i]);
        }

        await GrainFactory.GetGrain<IEnforcementRecordGrain>(this.GetPrimaryKeyString()).AppendAsync(records);
        _store.Account.MarkRecorded(count);
    }

    private AccountView View(AccountReputation account)
    {
        var now = _services.Time.GetUtcNow();
        var policy = Policy;
        var review = account.Review(now, policy);
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
            review.Decision.PolicyVersion,
            [.. account.Links.All.Select(link => new AccountLinkView(link.Key, link.Since, link.Risk.Reasons(policy)))],
            Signals(review.Features, policy),
            _scores.Read(now),
            Hours(account.Behaviour, now),
            BusinessView.From(review.Business),
            policy.Model is null ? null : [.. review.ModelDrivers.Select(driver => new ModelDriverView(driver.Feature, driver.Contribution))]);
    }

    /// <summary>Every signal's value and the points the policy gives it (after the new-account and feedback rules).</summary>
    private static SignalPoints[] Signals(in Features features, ScoringPolicy policy)
    {
        var risk = RiskModel.Assess(features, policy);
        var signals = new SignalPoints[SignalRegistry.Count];
        for (var i = 0; i < signals.Length; i++)
        {
            var signal = SignalRegistry.All[i];
            var points = 0.0;
            for (var c = 0; c < risk.Count; c++)
            {
                points += risk[c].Reason == signal.Code ? risk[c].Points : 0;
            }

            signals[i] = new SignalPoints(signal.Code, Math.Round(signal.Read(features, policy), 3), Math.Round(points, 3));
        }

        return signals;
    }

    /// <summary>The last 24 hours of activity, oldest first, from the account's stored hourly counters.</summary>
    private static AccountHour[] Hours(AccountBehaviour behaviour, DateTimeOffset now)
    {
        var thisHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var hours = new AccountHour[24];
        for (var i = 0; i < hours.Length; i++)
        {
            var hour = thisHour.AddHours(i - (hours.Length - 1));
            var (attempts, sent, nonContactSent) = behaviour.HourActivity(hour);
            hours[i] = new AccountHour(hour, attempts, sent, nonContactSent);
        }

        return hours;
    }

    string IDueFlush.Account => this.GetPrimaryKeyString();

    string IAccountStoreOwner.Account => this.GetPrimaryKeyString();

    void IAccountStoreOwner.ScheduleFlush() => _services.Flushes.Schedule(this);

    void IAccountStoreOwner.Leave()
    {
        _services.Metrics.AccountSuperseded();
        DeactivateOnIdle();
    }

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
