using Orleans.Core;
using Orleans.Storage;

namespace ReputationGrid.Grains.Paging;

/// <summary>The stored head of a <see cref="PagedLog{THead, TRecord}"/>: how many records were ever appended, and the newest ones.</summary>
public interface IPagedLogHead<TRecord>
{
    /// <summary>Records ever appended: the next record's sequence number.</summary>
    long Count { get; set; }

    /// <summary>The records after the last sealed page, ending at sequence <see cref="Count"/> - 1.</summary>
    List<TRecord> Open { get; set; }

    /// <summary>The oldest sequence still kept; records before it were dropped.</summary>
    long First { get; set; }
}

/// <summary>
/// An append-only log of one grain in its grain storage, in pages of <see cref="PageSize"/> records: the newest records
/// live in the head beside the count, and each full page is written once under a name of its own
/// (<c>&lt;pagePrefix&gt;-&lt;n&gt;</c>), so an append writes the head and at most the pages it fills, however long the
/// log grows. The oldest records can be dropped (<see cref="DropAsync"/>): a page then holds only the newest part of its
/// range. Not thread-safe: the owning activation serialises calls.
/// </summary>
/// <param name="headName">The name the head is stored under.</param>
public sealed class PagedLog<THead, TRecord>(string headName, string pagePrefix, IGrainContext grain, IGrainStorage storage)
    where THead : class, IPagedLogHead<TRecord>, new()
{
    public const int PageSize = 64;

    private readonly StateStorageBridge<THead> _head = new(headName, grain, storage);

    private THead Head => _head.State;

    /// <summary>Reads the head: once, when the owner activates.</summary>
    public Task ReadHeadAsync() => _head.ReadStateAsync();

    /// <summary>
    /// Appends <paramref name="records"/> in order and stores them; the first one's sequence number. After a failure the
    /// head in memory is not what is stored: the owner must deactivate, so that its next activation reads it again.
    /// </summary>
    public async Task<long> AppendAsync(IReadOnlyList<TRecord> records)
    {
        var first = Head.Count;
        foreach (var record in records)
        {
            Head.Open.Add(record);
            Head.Count++;
            if (Head.Count % PageSize == 0)
            {
                await WritePageAsync(Head.Count / PageSize - 1, Head.Open);
                Head.Open = [];
            }
        }

        await _head.WriteStateAsync();
        return first;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> records that <paramref name="keep"/> admits, newest first, older than sequence
    /// <paramref name="before"/> (all when null), and the sequence to read before for the next page (null at the first record).
    /// </summary>
    public async Task<(List<(long Sequence, TRecord Record)> Entries, long? Next)> ReadAsync(long? before, int limit, Func<TRecord, bool> keep)
    {
        var firstOpen = Head.Count - Head.Open.Count;
        var entries = new List<(long, TRecord)>(Math.Min(limit, PageSize));
        var sequence = Math.Min(before ?? Head.Count, Head.Count) - 1;
        List<TRecord>? page = null;
        var pageNumber = -1L;
        for (; sequence >= Head.First && entries.Count < limit; sequence--)
        {
            TRecord record;
            if (sequence >= firstOpen)
            {
                record = Head.Open[(int)(sequence - firstOpen)];
            }
            else
            {
                if (sequence / PageSize != pageNumber)
                {
                    pageNumber = sequence / PageSize;
                    page = (await ReadPageAsync(pageNumber)).State;
                }

                record = page![IndexInPage(sequence, page.Count)];
            }

            if (keep(record))
            {
                entries.Add((sequence, record));
            }
        }

        return (entries, sequence >= Head.First ? sequence + 1 : null);
    }

    /// <summary>
    /// Drops the oldest records while <paramref name="expired"/> says so: a sealed page goes whole once its newest record
    /// has expired (its storage is cleared), and the head's open records one by one. Stores the head when anything went.
    /// </summary>
    public async Task DropAsync(Func<TRecord, bool> expired)
    {
        var first = Head.First;
        var firstOpen = Head.Count - Head.Open.Count;
        while (Head.First < firstOpen)
        {
            var pageNumber = Head.First / PageSize;
            var page = await ReadPageAsync(pageNumber);
            if (page.State.Count > 0 && !expired(page.State[^1]))
            {
                break;
            }

            await page.ClearStateAsync();
            Head.First = (pageNumber + 1) * PageSize;
        }

        if (Head.First >= firstOpen)
        {
            var dropped = 0;
            while (dropped < Head.Open.Count && expired(Head.Open[dropped]))
            {
                dropped++;
            }

            Head.Open.RemoveRange(0, dropped);
            Head.First = Head.Count - Head.Open.Count;
        }

        if (Head.First != first)
        {
            await _head.WriteStateAsync();
        }
    }

    /// <summary>A page holds the newest records of its range: all of them unless older ones were dropped before it was sealed.</summary>
    private static int IndexInPage(long sequence, int stored) => (int)(sequence % PageSize) - (PageSize - stored);

    private StateStorageBridge<List<TRecord>> Page(long page) => new($"{pagePrefix}-{page}", grain, storage);

    private async Task<StateStorageBridge<List<TRecord>>> ReadPageAsync(long page)
    {
        var state = Page(page);
        await state.ReadStateAsync();
        return state;
    }

    private async Task WritePageAsync(long page, List<TRecord> records)
    {
        // Read first for the page's ETag: an earlier attempt may have written it before failing to write the head.
        var state = await ReadPageAsync(page);
        state.State = records;
        await state.WriteStateAsync();
    }
}
