using Microsoft.Extensions.Logging;

namespace ReputationGrid.Clustering;

/// <summary>
/// A gateway started before any silo (or while the cluster is down) keeps trying to connect instead of
/// failing its start; its readiness probe says not ready meanwhile.
/// </summary>
internal sealed partial class RetryConnectingToCluster(ILogger<RetryConnectingToCluster> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetrying(exception.Message);
        await Task.Delay(Pause, cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not connect to the cluster ({Reason}); retrying.")]
    private partial void LogRetrying(string reason);
}
