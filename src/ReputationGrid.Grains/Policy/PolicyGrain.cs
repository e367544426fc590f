using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Core;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Policy;

/// <summary>
/// The cluster's policy in the accounts' grain storage: the versions kept, which is live, and the shadow candidate.
/// The first activation of a cluster with nothing stored seeds the first version from its silo's configuration
/// (section <c>Policy</c>); from then on configuration is never read again. Shadow counts are kept in memory only: each
/// silo sends all of its counts with every poll, so a new activation has them again within a poll.
/// </summary>
public sealed class PolicyGrain : Grain, IPolicyGrain
{
    /// <summary>The name the state is stored under.</summary>
    public const string StateName = "policy";

    /// <summary>Versions kept for rollback: the oldest other than the live one is dropped beyond this.</summary>
    public const int MaxVersions = 100;

    /// <summary>The author of the version seeded from configuration.</summary>
    public const string ConfigurationAuthor = "configuration";

    private readonly StateStorageBridge<PolicyState> _state;
    private readonly ScoringPolicy _configured;
    private readonly TimeProvider _time;
    private readonly Dictionary<Guid, ShadowCounts> _counts = [];

    public PolicyGrain(IOptions<AccountGrainOptions> options, IOptions<ScoringPolicy> configured, TimeProvider time)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _state = new StateStorageBridge<PolicyState>(StateName, GrainContext, storage);
        _configured = configured.Value;
        _time = time;
    }

    private PolicyState State => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _state.ReadStateAsync();
        if (State.Versions.Count == 0)
        {
            var seed = new PolicyVersion(_configured.Version, PolicyDocument.Write(_configured), ConfigurationAuthor, _time.GetUtcNow());
            await ChangeAsync(state =>
            {
                state.Versions.Add(seed);
                state.Live = seed.Version;
            });
        }
        else
        {
            // Stored again in the format this silo writes: the policy may not change for months, and a rolling upgrade
            // of the state format must not leave it in a format only the earlier release reads.
            await _state.WriteStateAsync();
        }
    }

    public Task<PolicyVersion> GetLiveAsync() => Task.FromResult(Live);

    public Task<PolicyHistory> GetVersionsAsync() => Task.FromResult(new PolicyHistory(
        State.Live, [.. Enumerable.Reverse(State.Versions).Select(v => new PolicyVersionInfo(v.Version, v.Author, v.At))]));

    public Task<PolicyVersion?> GetVersionAsync(string version) => Task.FromResult(Find(version));

    public async Task<PolicyChange> PublishAsync(string document, string author)
    {
        if (PolicyDocument.Read(document, out var errors) is not { } policy)
        {
            return Refused([.. errors]);
        }

        if (Find(policy.Version) is not null)
        {
            return Refused($"Policy:Version '{policy.Version}' is already a version: name every change anew.");
        }

        var published = new PolicyVersion(policy.Version, PolicyDocument.Write(policy), author, _time.GetUtcNow());
        await ChangeAsync(state =>
        {
            state.Versions.Add(published);
            state.Live = published.Version;
            if (state.Shadow?.Version == published.Version)
            {
                state.Shadow = null; // the candidate was promoted: nothing is left to compare
            }

            while (state.Versions.Count > MaxVersions)
            {
                state.Versions.RemoveAt(state.Versions.FindIndex(v => v.Version != state.Live));
            }
        });
        return new PolicyChange(published, []);
    }

    public async Task<PolicyChange> RollbackAsync(string version, string author)
    {
        if (Find(version) is not { } earlier)
        {
            return Refused($"version: '{version}' is not a version kept (see the version history).");
        }

        if (earlier.Version == State.Live)
        {
            return Refused($"version: '{version}' is already live.");
        }

        await ChangeAsync(state => state.Live = earlier.Version);
        return new PolicyChange(earlier, []);
    }

    public async Task<PolicyChange> InstallShadowAsync(string document, string author)
    {
        if (PolicyDocument.Read(document, out var errors) is not { } policy)
        {
            return Refused([.. errors]);
        }

        var candidate = new ShadowCandidate(State.Revision + 1, policy.Version, PolicyDocument.Write(policy), author, _time.GetUtcNow());
        await ChangeAsync(state => state.Shadow = candidate);
        return new PolicyChange(new PolicyVersion(candidate.Version, candidate.Document, candidate.Author, candidate.Since), []);
    }

    public async Task<bool> RemoveShadowAsync()
    {
        if (State.Shadow is null)
        {
            return false;
        }

        await ChangeAsync(state => state.Shadow = null);
        return true;
    }

    public Task<ShadowReport?> GetShadowReportAsync(int offset, int limit)
    {
        if (State.Shadow is not { } candidate)
        {
            return Task.FromResult<ShadowReport?>(null);
        }

        var silos = _counts.Values.Where(c => c.ShadowId == candidate.Id).ToList();
        var total = ShadowCounts.Sum(candidate.Id, silos);
        var page = total with { Sample = [.. total.Sample.Skip(offset).Take(limit)] };
        return Task.FromResult<ShadowReport?>(new ShadowReport(candidate, silos.Count, page, total.Sample.Length));
    }

    public Task<PolicySnapshot?> SyncAsync(Guid silo, long knownRevision, ShadowCounts? counts)
    {
        if (counts is not null && counts.ShadowId == State.Shadow?.Id)
        {
            _counts[silo] = counts;
        }

        return Task.FromResult(knownRevision == State.Revision ? null : new PolicySnapshot(State.Revision, Live.Document, State.Shadow));
    }

    private PolicyVersion Live => Find(State.Live)!;

    private PolicyVersion? Find(string version) => State.Versions.Find(v => v.Version == version);

    private static PolicyChange Refused(params string[] errors) => new(null, errors);

    /// <summary>Changes the state, moves the revision on, and stores it before anything is answered.</summary>
    private async Task ChangeAsync(Action<PolicyState> change)
    {
        change(State);
        State.Revision++;
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            // What is stored is the truth: the next activation reads it again, without this change.
            DeactivateOnIdle();
            throw;
        }
    }
}

/// <summary>The stored policy: every version kept (oldest first), the live one's name, and the shadow candidate.</summary>
/// <param name="Revision">Moves on with every change, so that silos can ask whether anything changed.</param>
[GenerateSerializer, Alias("rg.PolicyState")]
public sealed class PolicyState
{
    [Id(0)]
    public List<PolicyVersion> Versions { get; set; } = [];

    [Id(1)]
    public string Live { get; set; } = "";

    [Id(2)]
    public ShadowCandidate? Shadow { get; set; }

    [Id(3)]
    public long Revision { get; set; }
}
