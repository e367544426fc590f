using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.Paging;

namespace ReputationGrid.Grains.Evidence;

/// <summary>
/// One account's enforcement record in the accounts' grain storage: a <see cref="PagedLog{THead, TRecord}"/> whose records
/// older than <see cref="EvidenceOptions.Retention"/> are left out of every read at once, and dropped from storage when
/// the record next activates (an append that follows never has to undo a drop that failed).
/// </summary>
public sealed class EnforcementRecordGrain : Grain, IEnforcementRecordGrain
{
    /// <summary>The name the head is stored under; sealed pages are stored as <c>enforcement-page-&lt;n&gt;</c>.</summary>
    public const string HeadStateName = "enforcement";

    private readonly PagedLog<EnforcementRecordHead, EnforcementRecord> _log;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;

    public EnforcementRecordGrain(IOptions<AccountGrainOptions> accounts, IOptions<EvidenceOptions> evidence, TimeProvider time)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(accounts.Value.StorageName);
        _log = new PagedLog<EnforcementRecordHead, EnforcementRecord>(HeadStateName, "enforcement-page", GrainContext, storage);
        _time = time;
        _retention = evidence.Value.Retention;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _log.ReadHeadAsync();
        await _log.DropAsync(Expired());
    }

    public async Task AppendAsync(EnforcementRecord[] records)
    {
        try
        {
            await _log.AppendAsync(records);
        }
        catch
        {
            // What is stored is the truth: the next activation reads it again.
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task<EnforcementRecordPage> ReadAsync(long? before, int limit)
    {
        var expired = Expired();
        var (entries, next) = await _log.ReadAsync(before, limit, record => !expired(record));
        return new EnforcementRecordPage([.. entries.Select(entry => new EnforcementRecordEntry(entry.Sequence, entry.Record))], next);
    }

    private Func<EnforcementRecord, bool> Expired()
    {
        var cutoff = _time.GetUtcNow() - _retention;
        return record => record.At < cutoff;
    }
}

/// <summary>How many records an account's enforcement record holds, the oldest kept, and those not yet in a sealed page.</summary>
[GenerateSerializer, Alias("rg.EnforcementRecordHead")]
public sealed class EnforcementRecordHead : IPagedLogHead<EnforcementRecord>
{
    [Id(0)]
    public long Count { get; set; }

    [Id(1)]
    public List<EnforcementRecord> Open { get; set; } = [];

    [Id(2)]
    public long First { get; set; }
}
