using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// Tells accounts with unflushed counters when their <see cref="AccountGrainOptions.FlushInterval"/> has
/// passed. One timer for the silo instead of a grain timer per account: a grain timer costs each account
/// over 500 bytes while it waits, and a silo holds a million accounts (docs/BENCHMARKS.md).
/// </summary>
public sealed partial class AccountFlushScheduler(IOptions<AccountGrainOptions> options, TimeProvider time, ILogger<AccountFlushScheduler> logger)
    : BackgroundService
{
    // Every account waits the same interval, so the queue stays in order of due time.
    private readonly ConcurrentQueue<(long ScheduledAt, AccountGrain Account)> _waiting = new();
    private readonly TimeSpan _interval = options.Value.FlushInterval;

    /// <summary>How late a flush may come: a tenth of the interval, at most a second.</summary>
    private TimeSpan Tick => TimeSpan.FromTicks(Math.Min(_interval.Ticks / 10, TimeSpan.TicksPerSecond));

    /// <summary>The account has unflushed counters: flush them once the interval has passed.</summary>
    internal void Schedule(AccountGrain account) => _waiting.Enqueue((time.GetTimestamp(), account));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                while (_waiting.TryPeek(out var next) && time.GetElapsedTime(next.ScheduledAt) >= _interval && _waiting.TryDequeue(out next))
                {
                    try
                    {
                        next.Account.FlushWhenDue();
                    }
                    catch (Exception e)
                    {
                        // One account's activation refusing work must not stop the flushes of all the others;
                        // its counters are still written when it deactivates.
                        LogNotQueued(e, next.Account.GetPrimaryKeyString());
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping: deactivating accounts write what they hold.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The flush of account {Account} could not be queued; it is written when the account deactivates.")]
    private partial void LogNotQueued(Exception exception, string account);
}
