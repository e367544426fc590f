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
/// Tells accounts with unflushed counters when to write them. One timer for the silo instead of a grain timer per
/// account: a grain timer costs each account over 500 bytes while it waits, and a silo holds a million accounts.
/// An account waits <see cref="AccountGrainOptions.FlushInterval"/> and then a share of one more interval, so that
/// accounts that changed together are written spread over that next interval: accounts that were busy together
/// (after an activation wave or a traffic spike, tens of thousands in a second) otherwise fell due together, and
/// writing them at once took the silo's processors from the calls being served. So an account
/// is written at most once per interval, and within two intervals of its first unwritten change. At most
/// <see cref="AccountGrainOptions.MaxConcurrentFlushes"/> writes are in flight, which bounds the load on a slow storage.
/// </summary>
public sealed partial class AccountFlushScheduler(IOptions<AccountGrainOptions> options, TimeProvider time, ILogger<AccountFlushScheduler> logger)
    : BackgroundService
{
    // The golden ratio's fraction: the k-th account's share k·φ mod 1 spreads any run of consecutive accounts
    // evenly over [0, 1), without randomness.
    private const double SpreadStep = 0.6180339887498949;

    private readonly PriorityQueue<IDueFlush, long> _waiting = new(); // by due timestamp
    private readonly Lock _lock = new();
    private readonly long _interval = (long)(options.Value.FlushInterval.TotalSeconds * time.TimestampFrequency);
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentFlushes);
    private long _scheduled;

    // Ticks from construction, not from ExecuteAsync, which the host runs in the background: a tick that comes
    // before the loop waits is kept, never missed. Often, so that each tick starts few writes.
    private readonly PeriodicTimer _timer = new(TimeSpan.FromTicks(Math.Min(options.Value.FlushInterval.Ticks / 10, TimeSpan.TicksPerMillisecond * 20)), time);

    /// <summary>The account has unflushed counters: flush them once their time has come.</summary>
    internal void Schedule(IDueFlush account)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var share = _scheduled++ * SpreadStep % 1.0;
            _waiting.Enqueue(account, now + _interval + (long)(share * _interval));
        }
    }

    /// <summary>Starts the flushes that are due, earliest first, as far as free slots allow; returns how many it started.</summary>
    internal int StartDueFlushes()
    {
        var now = time.GetTimestamp();
        var started = 0;
        while (true)
        {
            IDueFlush account;
            lock (_lock)
            {
                if (!_waiting.TryPeek(out account!, out var due) || due > now || !_slots.Wait(0))
                {
                    return started;
                }

                _waiting.Dequeue();
            }

            Start(account);
            started++;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                StartDueFlushes();
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
