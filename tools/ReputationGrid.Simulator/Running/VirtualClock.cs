namespace ReputationGrid.Simulator.Running;

/// <summary>
/// Steps the accounts of a run through event time together, one <see cref="Step"/> at a time: an account may act at any
/// time before the clock's horizon, and waits at the horizon until every account has reached it; then the target settles
/// (entities hear every account's reports and push their risk back) and the horizon moves on. In production a day takes
/// a day and an entity's push arrives within a second, so accounts must not run ahead of their entities' news: the steps
/// keep the simulation as faithful, and what each account sees depends on event time alone.
/// </summary>
public sealed class VirtualClock
{
    private readonly Lock _lock = new();
    private readonly List<(DateTimeOffset At, TaskCompletionSource Go)> _waiting = [];
    private readonly SemaphoreSlim _slots;
    private TaskCompletionSource _allWaiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;

    /// <param name="accounts">How many accounts play; each must end by <see cref="Leave"/>.</param>
    /// <param name="parallelism">How many accounts act at once within a step.</param>
    public VirtualClock(int accounts, int parallelism, TimeSpan step)
    {
        _running = accounts;
        _slots = new SemaphoreSlim(parallelism, parallelism);
        Step = step;
    }

    /// <summary>How far event time moves between settlements.</summary>
    public TimeSpan Step { get; }

    /// <summary>Accounts may act at event times before it; it only moves while every account waits.</summary>
    public DateTimeOffset Horizon { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Takes one of the slots of accounts acting at once, before an account's first call.</summary>
    public Task EnterAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Returns when the account may act at <paramref name="at"/>: at once when it lies before the horizon.</summary>
    public async Task UntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (at < Horizon)
        {
            return;
        }

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add((at, go));
        }

        Stop();
        await go.Task.WaitAsync(cancellationToken);
        await _slots.WaitAsync(cancellationToken);
    }

    /// <summary>The account has finished (or failed): it no longer holds the clock back.</summary>
    public void Leave() => Stop();

    /// <summary>
    /// Moves the horizon, step by step, whenever every account waits, and settles the target before each move; returns
    /// once every account has left.
    /// </summary>
    public async Task RunAsync(Func<Task> settle, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task allWaiting;
            lock (_lock)
            {
                allWaiting = _allWaiting.Task;
            }

            await allWaiting.WaitAsync(cancellationToken);
            await settle();
            lock (_lock)
            {
                _allWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_waiting.Count == 0)
                {
                    return;
                }

                var earliest = DateTimeOffset.MaxValue;
                foreach (var (at, _) in _waiting)
                {
                    earliest = at < earliest ? at : earliest;
                }

                // Steps are aligned to multiples of the step, so the same traffic meets the same barriers.
                Horizon = earliest == DateTimeOffset.MaxValue || earliest.UtcTicks > DateTimeOffset.MaxValue.UtcTicks - Step.Ticks
                    ? DateTimeOffset.MaxValue
                    : new DateTimeOffset((earliest.UtcTicks / Step.Ticks + 1) * Step.Ticks, TimeSpan.Zero);
                for (var i = _waiting.Count - 1; i >= 0; i--)
                {
                    if (_waiting[i].At < Horizon || Horizon == DateTimeOffset.MaxValue)
                    {
                        _running++;
                        _waiting[i].Go.SetResult();
                        _waiting.RemoveAt(i);
                    }
                }
            }
        }
    }

    private void Stop()
    {
        _slots.Release();
        lock (_lock)
        {
            if (--_running == 0)
            {
                _allWaiting.TrySetResult();
            }
        }
    }
}
