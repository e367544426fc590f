using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Evidence;

/// <summary>Reads accounts' enforcement records: a page for the API and the console, or the whole record for an export.</summary>
public sealed class EnforcementRecords(IGrainFactory grains)
{
    private const int ExportPageSize = 500;

    /// <summary>Up to <paramref name="limit"/> entries of the account's record, newest first, older than sequence <paramref name="before"/>.</summary>
    public Task<EnforcementRecordPage> ReadAsync(string account, long? before, int limit) =>
        grains.GetGrain<IEnforcementRecordGrain>(account).ReadAsync(before, limit);

    /// <summary>Every entry the account's record keeps, oldest first.</summary>
    public async Task<List<EnforcementRecordEntry>> ReadAllAsync(string account)
    {
        var entries = new List<EnforcementRecordEntry>();
        long? before = null;
        do
        {
            var page = await ReadAsync(account, before, ExportPageSize);
            entries.AddRange(page.Entries);
            before = page.Next;
        }
        while (before is not null);

        entries.Reverse();
        return entries;
    }
}
