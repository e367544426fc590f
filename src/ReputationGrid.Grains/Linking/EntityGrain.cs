using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Core;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.Policy;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Linking;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Linking;

/// <summary>
/// One linked entity. Thin: <see cref="EntityReputation"/> keeps the evidence and computes the risk; this grain stores it
/// (through the accounts' storage provider) and pushes a changed risk to the entity's listed accounts, one-way.
/// </summary>
public sealed class EntityGrain : Grain, IEntityGrain
{
    /// <summary>The name the state is stored under.</summary>
    public const string StateName = "entity";

    private readonly StateStorageBridge<EntityState> _state;
    private readonly LivePolicy _policy;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly LinkingTraffic _traffic;
    private readonly ReputationMetrics _metrics;
    private EntityKind _kind;
    private string _id = "";
    private EntityReputation _entity = null!;
    private EntityRisk _pushed;
    private bool _toldMembers; // whether the accounts were last told the members, so they hear when the entity stops telling
    private bool _dirty;
    private long _lastWrite = Stopwatch.GetTimestamp();

    public EntityGrain(IOptions<AccountGrainOptions> options, LivePolicy policy, TimeProvider time, LinkingTraffic traffic, ReputationMetrics metrics)
    {
        _time = time;
        _traffic = traffic;
        _metrics = metrics;
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _state = new StateStorageBridge<EntityState>(StateName, GrainContext, storage);
        _policy = policy;
        _flushInterval = options.Value.FlushInterval;
    }

    /// <summary>The silo's live policy.</summary>
    private ScoringPolicy Policy => _policy.Current.Live;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !EntityKinds.TryParse(key[..slash], out _kind))
        {
            throw new ArgumentException($"'{key}' is not an entity key (kind/id).");
        }

        _id = key[(slash + 1)..];
        await _policy.ReadyAsync();
        await _state.ReadStateAsync();
        _entity = EntityReputation.Decode(_kind, _state.State.Entity);
        _state.State.Entity = null;
        _pushed = _entity.Risk(Policy);
        _toldMembers = _entity.HasMembers(Policy.Linking);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _dirty ? WriteAsync() : Task.CompletedTask;

    public async Task ReportAsync(ImmutableArray<LinkReport> reports)
    {
        try
        {
            await HandleAsync(reports);
        }
        finally
        {
            _traffic.Handled();
        }
    }

    private async Task HandleAsync(ImmutableArray<LinkReport> reports)
    {
        var started = Stopwatch.GetTimestamp();
        List<string>? listedNow = null;
        foreach (var report in reports)
        {
            if (_entity.Report(report.Account, report.At, report.Registration, report.Flags))
            {
                (listedNow ??= []).Add(report.Account);
            }
        }

        _dirty = true;
        var risk = _entity.Risk(Policy);
        var hasMembers = _entity.HasMembers(Policy.Linking);
        var membersChanged = hasMembers ? listedNow is not null || !_toldMembers : _toldMembers;
        if (risk != _pushed || membersChanged)
        {
            _pushed = risk;
            _toldMembers = hasMembers;
            Push(_entity.ListedAccounts);
        }
        else if (listedNow is not null && risk != default)
        {
            Push(listedNow);
        }

        _metrics.EntityBatchAbsorbed(reports.Length, Stopwatch.GetElapsedTime(started));
        if (Stopwatch.GetElapsedTime(_lastWrite) >= _flushInterval)
        {
            await WriteAsync();
        }
    }

    public Task RefreshAsync(string account)
    {
        if (_pushed != default || _toldMembers)
        {
            Push([account]);
        }

        _traffic.Handled();
        return Task.CompletedTask;
    }

    public Task<EntityView> GetViewAsync(int offset, int limit) => Task.FromResult(View(offset, limit));

    public async Task<EntityView> ApplyOperatorActionAsync(OperatorAction action)
    {
        var banned = action.Command switch
        {
            OperatorCommand.Ban => true,
            OperatorCommand.Clear => false,
            _ => throw new ArgumentException("An entity can only be banned or cleared.", nameof(action)),
        };

        _entity.Apply(new EntityAction(banned, _time.GetUtcNow(), action.By, action.Note ?? ""));
        await WriteAsync();
        _pushed = _entity.Risk(Policy);
        Push(_entity.ListedAccounts); // a clear must reach the accounts the ban reached, whatever the risk was before
        return View(0, 50);
    }

    private EntityView View(int offset, int limit)
    {
        var listed = _entity.ListedAccounts;
        var from = Math.Clamp(offset, 0, listed.Count);
        var page = new LinkedAccountView[Math.Clamp(limit, 0, listed.Count - from)];
        for (var i = 0; i < page.Length; i++)
        {
            var account = listed[from + i];
            var flags = _entity.FlagsOf(account) ?? LinkedAccountFlags.None;
            page[i] = new LinkedAccountView(account, (flags & LinkedAccountFlags.StrangerSender) != 0, (flags & LinkedAccountFlags.Actioned) != 0);
        }

        var measure = _entity.Measure();
        var risk = _entity.Risk(Policy);
        return new EntityView(
            EntityKinds.Name(_kind),
            _id,
            measure.LinkedAccounts,
            measure.Listed,
            page,
            new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["registrations24h"] = measure.Registrations24h,
                ["strangerSenders"] = measure.StrangerSenders,
                ["youngStrangerSenders"] = measure.YoungStrangerSenders,
                ["actioned"] = measure.Actioned,
            },
            new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["actionedShare"] = risk.ActionedShare,
                ["farmShare"] = risk.FarmShare,
                ["campaignSenders"] = risk.CampaignSenders,
            },
            risk.Reasons(Policy),
            risk.Banned,
            [.. _entity.History.Select(entry => new EntityHistoryEntry(entry.At, entry.Banned, entry.By, entry.Note))]);
    }

    /// <summary>Tells each account the entity's current risk and members, one-way: no entity waits for its accounts.</summary>
    private void Push(IReadOnlyList<string> accounts)
    {
        var update = EntityRiskUpdate.From(_kind, _id, _pushed, _toldMembers ? _entity.Members(Policy.Linking) : null);
        _traffic.Sent(accounts.Count);
        foreach (var account in accounts)
        {
            _ = GrainFactory.GetGrain<IAccountGrain>(account).UpdateLinkedRiskAsync(update);
        }
    }

    private async Task WriteAsync()
    {
        _state.State.Entity = _entity.Encode();
        _dirty = false;
        _lastWrite = Stopwatch.GetTimestamp();
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
        finally
        {
            _state.State.Entity = null;
        }
    }
}
