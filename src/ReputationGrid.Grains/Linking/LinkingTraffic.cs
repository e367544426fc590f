namespace ReputationGrid.Grains.Linking;

/// <summary>
/// Counts the one-way linking calls sent (accounts' reports and refresh requests to entities, entities' risk pushes to
/// accounts) and not yet handled, so that a caller can wait until every entity and account has heard all that was sent:
/// a simulator stepping virtual time does so at each of its barriers. A silo has its own; an in-process cluster shares
/// one among its silos, so that calls between silos are counted where they are sent and where they are handled.
/// </summary>
public sealed class LinkingTraffic
{
    private readonly Lock _lock = new();
    private long _inFlight;
    private TaskCompletionSource? _quiet;

    /// <summary>Calls sent and not yet handled.</summary>
    public long InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    public void Sent(int calls)
    {
        lock (_lock)
        {
            _inFlight += calls;
        }
    }

    public void Handled()
    {
        TaskCompletionSource? quiet = null;
        lock (_lock)
        {
            if (--_inFlight == 0)
            {
                (quiet, _quiet) = (_quiet, null);
            }
        }

        quiet?.TrySetResult();
    }

    /// <summary>Completes when no call is in flight; calls a handler sends before it finishes are waited for too.</summary>
    public Task QuietAsync()
    {
        lock (_lock)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }

            _quiet ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _quiet.Task;
        }
    }
}
