using Microsoft.Extensions.Logging;
using ReputationGrid.Grains.Telemetry;

namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// The silo's record of background counter flushes that failed. Each failure is counted; the log gets one warning when
/// flushes start failing and one line when they succeed again: a saturated storage fails thousands of flushes a minute,
/// and a line for each would bury the log.
/// </summary>
public sealed partial class FlushFailures(ReputationMetrics metrics, ILogger<FlushFailures> logger)
{
    private long _failuresSinceSuccess;

    /// <summary>A flush of <paramref name="account"/> failed and is tried again at the next interval.</summary>
    public void Failed(string account, Exception exception)
    {
        metrics.FlushFailed();
        if (Interlocked.Increment(ref _failuresSinceSuccess) == 1)
        {
            LogFailing(exception, account);
        }
    }

    /// <summary>
    /// A flush of <paramref name="account"/> can never be written: another activation stored a newer state, and this
    /// one's counters since its last write are lost.
    /// </summary>
    public void Lost(string account)
    {
        metrics.FlushLost();
        LogLost(account);
    }

    /// <summary>A flush was written.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _failuresSinceSuccess) != 0 && Interlocked.Exchange(ref _failuresSinceSuccess, 0) is var failures and > 0)
        {
            LogRecovered(failures);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flushing the counters of account {Account} failed; failed flushes are retried at the next interval and counted in reputationgrid.accounts.flush.failures, and not logged again until one succeeds.")]
    private partial void LogFailing(Exception exception, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account flushes are written again, after {Failures} failed.")]
    private partial void LogRecovered(long failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The counters of account {Account} since its last write are lost: another activation stored a newer state.")]
    private partial void LogLost(string account);
}
