using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Grains.Paging;

namespace ReputationGrid.Grains.Cases;

/// <summary>The cases opened, in the accounts' grain storage: a <see cref="PagedLog{THead, TRecord}"/> of their summaries.</summary>
public sealed class CaseIndexGrain : Grain, ICaseIndexGrain
{
    private readonly PagedLog<CaseIndexHead, CaseSummary> _log;

    public CaseIndexGrain(IOptions<AccountGrainOptions> options)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _log = new PagedLog<CaseIndexHead, CaseSummary>("cases", "cases-page", GrainContext, storage);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _log.ReadHeadAsync();

    public async Task AddAsync(CaseSummary summary)
    {
        try
        {
            await _log.AppendAsync([summary]);
        }
        catch
        {
            // What is stored is the truth: the next activation reads it again, without this case.
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task<CaseSummaryPage> ReadAsync(long? before, int limit)
    {
        var (entries, next) = await _log.ReadAsync(before, limit, static _ => true);
        return new CaseSummaryPage([.. entries.Select(entry => entry.Record)], next);
    }
}

[GenerateSerializer, Alias("rg.CaseIndexHead")]
public sealed class CaseIndexHead : IPagedLogHead<CaseSummary>
{
    [Id(0)]
    public long Count { get; set; }

    [Id(1)]
    public List<CaseSummary> Open { get; set; } = [];

    [Id(2)]
    public long First { get; set; }
}
