using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReputationGrid.Grains.Accounts;

/// <summary>An account whose counters the <see cref="AccountFlushScheduler"/> writes once they are due.</summary>
internal interface IDueFlush
{
    /// <summary>The account's id, for the log.</summary>
    string Account { get; }

    /// <summary>Starts the flush; the task completes once it is written or has failed (which the account handles).</summary>
    Task FlushWhenDue();
}

/// <summary>
/// Tells accounts with unflushed counters when their <see cref="AccountGrainOptions.FlushInterval"/> has
/// passed. One timer for the silo instead of a grain timer per account: a grain timer costs each account
/// over 500 bytes while it waits, and a silo holds a million accounts (docs/BENCHMARKS.md). At most
/// <see cref="AccountGrainOptions.MaxConcurrentFlushes"/> flushes are in flight; the next due ones wait for a
/// slot. Accounts activated together fall due together, and their writes are not all queued at once, ahead
/// of the calls being served and against the storage.
/// </summary>
public sealed partial class AccountFlushScheduler(IOptions<AccountGrainOptions> options, TimeProvider time, ILogger<AccountFlushScheduler> logger)
    : BackgroundService
{
    // Every account waits the same interval, so the queue stays in order of due time.
    private readonly ConcurrentQueue<(long ScheduledAt, IDueFlush Account)> _waiting = new();
    private readonly TimeSpan _interval = options.Value.FlushInterval;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentFlushes);

    // Ticks from construction, not from ExecuteAsync, which the host runs in the background: a tick that comes
    // before the loop waits is kept, never missed. How late a flush may come: a tenth of the interval, at most a second.
    private readonly PeriodicTimer _timer = new(TimeSpan.FromTicks(Math.Min(options.Value.FlushInterval.Ticks / 10, TimeSpan.TicksPerSecond)), time);

    /// <summary>The account has unflushed counters: flush them once the interval has passed.</summary>
    internal void Schedule(IDueFlush account) => _waiting.Enqueue((time.GetTimestamp(), account));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                // Only this loop dequeues, so the account peeked at is the one dequeued after the wait for a slot.
                while (_waiting.TryPeek(out var next) && time.GetElapsedTime(next.ScheduledAt) >= _interval)
                {
                    await _slots.WaitAsync(stoppingToken);
                    _waiting.TryDequeue(out _);
                    Start(next.Account);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping: deactivating accounts write what they hold.
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _timer.Dispose();
        _slots.Dispose();
    }

    private void Start(IDueFlush account)
    {
        Task flush;
        try
        {
            flush = account.FlushWhenDue();
        }
        catch (Exception e)
        {
            // One account's activation refusing work must not stop the flushes of all the others;
            // its counters are still written when it deactivates.
            _slots.Release();
            LogNotQueued(e, account.Account);
            return;
        }

        flush.ContinueWith(static (_, slots) => ((SemaphoreSlim)slots!).Release(), _slots, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The flush of account {Account} could not be queued; it is written when the account deactivates.")]
    private partial void LogNotQueued(Exception exception, string account);
}
