using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.Paging;

namespace ReputationGrid.Grains.Audit;

/// <summary>One subject's audit trail in the accounts' grain storage: a <see cref="PagedLog{THead, TRecord}"/> that keeps every record.</summary>
public sealed class AuditGrain : Grain, IAuditGrain
{
    public const int PageSize = PagedLog<AuditHead, AuditRecord>.PageSize;

    /// <summary>The name the head is stored under; sealed pages are stored as <c>audit-page-&lt;n&gt;</c>.</summary>
    public const string HeadStateName = "audit";

    private readonly PagedLog<AuditHead, AuditRecord> _log;

    public AuditGrain(IOptions<AccountGrainOptions> options)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _log = new PagedLog<AuditHead, AuditRecord>(HeadStateName, "audit-page", GrainContext, storage);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _log.ReadHeadAsync();

    public async Task<long> AppendAsync(AuditRecord record)
    {
        try
        {
            return await _log.AppendAsync([record]);
        }
        catch
        {
            // What is stored is the truth: the next activation reads it again, without this record.
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task<AuditPage> ReadAsync(long? before, int limit)
    {
        var (entries, next) = await _log.ReadAsync(before, limit, static _ => true);
        return new AuditPage([.. entries.Select(entry => new AuditEntry(entry.Sequence, entry.Record))], next);
    }
}

/// <summary>How many records a trail holds, and those not yet in a sealed page.</summary>
[GenerateSerializer, Alias("rg.AuditHead")]
public sealed class AuditHead : IPagedLogHead<AuditRecord>
{
    [Id(0)]
    public long Count { get; set; }

    [Id(1)]
    public List<AuditRecord> Open { get; set; } = [];

    /// <summary>Always 0, and not stored: an audit trail keeps every record.</summary>
    long IPagedLogHead<AuditRecord>.First
    {
        get => 0;
        set => throw new NotSupportedException("An audit trail keeps every record.");
    }
}
