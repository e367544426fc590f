using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Core;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;

namespace ReputationGrid.Grains.Audit;

/// <summary>
/// One subject's audit trail in the accounts' grain storage, in pages of <see cref="PageSize"/> records: the newest
/// records live in the head state beside the count, and each full page is written once under a name of its own, so an
/// append writes at most one page and the head, however long the trail grows.
/// </summary>
public sealed class AuditGrain : Grain, IAuditGrain
{
    public const int PageSize = 64;

    /// <summary>The name the head is stored under; sealed pages are stored as <c>audit-page-&lt;n&gt;</c>.</summary>
    public const string HeadStateName = "audit";

    private readonly IGrainStorage _storage;
    private readonly StateStorageBridge<AuditHead> _head;

    public AuditGrain(IOptions<AccountGrainOptions> options)
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _head = new StateStorageBridge<AuditHead>(HeadStateName, GrainContext, _storage);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _head.ReadStateAsync();

    public async Task<long> AppendAsync(AuditRecord record)
    {
        var head = _head.State;
        var sequence = head.Count;
        head.Open.Add(record);
        head.Count++;
        try
        {
            if (head.Open.Count == PageSize)
            {
                await WritePageAsync(SealedPages(head.Count) - 1, head.Open);
                head.Open = [];
            }

            await _head.WriteStateAsync();
        }
        catch
        {
            // What is stored is the truth: the next activation reads it again, without this record.
            DeactivateOnIdle();
            throw;
        }

        return sequence;
    }

    public async Task<AuditPage> ReadAsync(long? before, int limit)
    {
        var head = _head.State;
        var firstOpen = SealedPages(head.Count) * PageSize;
        var entries = new List<AuditEntry>(Math.Min(limit, PageSize));
        var sequence = Math.Min(before ?? head.Count, head.Count) - 1;
        List<AuditRecord>? page = null;
        var pageNumber = -1L;
        for (; sequence >= 0 && entries.Count < limit; sequence--)
        {
            if (sequence >= firstOpen)
            {
                entries.Add(new AuditEntry(sequence, head.Open[(int)(sequence - firstOpen)]));
                continue;
            }

            if (sequence / PageSize != pageNumber)
            {
                pageNumber = sequence / PageSize;
                page = await ReadPageAsync(pageNumber);
            }

            entries.Add(new AuditEntry(sequence, page![(int)(sequence % PageSize)]));
        }

        return new AuditPage([.. entries], sequence >= 0 ? sequence + 1 : null);
    }

    private static long SealedPages(long count) => count / PageSize;

    private StateStorageBridge<List<AuditRecord>> Page(long page) => new($"audit-page-{page}", GrainContext, _storage);

    private async Task<List<AuditRecord>> ReadPageAsync(long page)
    {
        var state = Page(page);
        await state.ReadStateAsync();
        return state.State;
    }

    private async Task WritePageAsync(long page, List<AuditRecord> records)
    {
        // Read first for the page's ETag: an earlier attempt may have written it before failing to write the head.
        var state = Page(page);
        await state.ReadStateAsync();
        state.State = records;
        await state.WriteStateAsync();
    }
}

/// <summary>How many records a trail holds, and those not yet in a sealed page.</summary>
[GenerateSerializer, Alias("rg.AuditHead")]
public sealed class AuditHead
{
    [Id(0)]
    public long Count { get; set; }

    [Id(1)]
    public List<AuditRecord> Open { get; set; } = [];
}
