using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Policy;

/// <summary>The policies a silo applies at one moment: read whole, replaced whole.</summary>
/// <param name="Shadow">The candidate evaluated beside the live policy, if one is installed.</param>
public sealed record PolicySet(ScoringPolicy Live, ShadowPolicy? Shadow);

/// <summary>A shadow candidate as a silo evaluates it, with this silo's counts for it.</summary>
public sealed record ShadowPolicy(ScoringPolicy Policy, ShadowTally Tally);

/// <summary>
/// The silo's copy of the cluster's policy, which every account and entity reads (<see cref="Current"/>, one volatile
/// read). It polls the <see cref="IPolicyGrain"/> every <see cref="PollInterval"/>, handing it this silo's shadow counts
/// on the way; a poll rather than an observer, because a poll needs no subscription to renew when the policy grain or a
/// silo restarts, and it also carries the counts. A change is so applied within a poll and a call, well under 5 seconds.
/// Accounts and entities wait for <see cref="ReadyAsync"/> when they activate, so a silo never decides under its own
/// configuration.
/// </summary>
public sealed partial class LivePolicy(IGrainFactory grains, ILogger<LivePolicy> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // Until the first poll succeeds (the silo may not accept calls yet), it is retried sooner.
    private static readonly TimeSpan FirstPollRetry = TimeSpan.FromMilliseconds(100);

    private readonly Guid _silo = Guid.NewGuid();
    private readonly Lock _syncLock = new();
    private volatile PolicySet? _current;
    private Task _sync = Task.CompletedTask;
    private long _revision = -1;

    /// <summary>The policies in force on this silo; only once <see cref="ReadyAsync"/> has completed.</summary>
    public PolicySet Current => _current ?? throw new InvalidOperationException("The live policy has not been read yet.");

    /// <summary>
    /// Completes at once when the stored live policy has been read; until then it asks the policy grain and fails as
    /// that does, so that while storage cannot be reached calls fail at once rather than wait for their timeout.
    /// </summary>
    public Task ReadyAsync() => _current is not null ? Task.CompletedTask : SyncAsync();

    /// <summary>Asks the policy grain and applies what changed; callers that overlap share one call.</summary>
    private Task SyncAsync()
    {
        lock (_syncLock)
        {
            // Run off the caller's grain: the call it shares must not be tied to that activation.
            return _sync.IsCompleted ? _sync = Task.Run(ApplyAsync) : _sync;
        }
    }

    private async Task ApplyAsync()
    {
        var current = _current;
        var counts = current?.Shadow is { } shadow ? ShadowCounts.Of(shadow.Tally) : null;
        var snapshot = await grains.GetGrain<IPolicyGrain>(IPolicyGrain.Key).SyncAsync(_silo, _revision, counts);
        if (snapshot is null)
        {
            return;
        }

        _current = new PolicySet(Parse(snapshot.LiveDocument), ShadowOf(snapshot.Shadow, current?.Shadow));
        _revision = snapshot.Revision;
        LogApplied(snapshot.Revision);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time, not the grains' clock: tests move that clock by hand.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(_current is not null ? LogLevel.Warning : LogLevel.Debug, e);
            }

            try
            {
                await Task.Delay(_current is not null ? PollInterval : FirstPollRetry, TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static ShadowPolicy? ShadowOf(ShadowCandidate? candidate, ShadowPolicy? applied) => candidate switch
    {
        null => null,
        _ when applied?.Tally.ShadowId == candidate.Id => applied, // the same installation keeps counting
        _ => new ShadowPolicy(Parse(candidate.Document), new ShadowTally(candidate.Id)),
    };

    // The grain stored only documents it validated, so a failure here is a defect, not a bad document.
    private static ScoringPolicy Parse(string document) =>
        PolicyDocument.Read(document, out var errors) ?? throw new InvalidDataException($"The stored policy is invalid: {string.Join(" ", errors)}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy revision {Revision} applied.")]
    private partial void LogApplied(long revision);

    [LoggerMessage(Message = "Polling the policy failed; the silo keeps the policy it has.")]
    private partial void LogPollFailed(LogLevel level, Exception exception);
}
