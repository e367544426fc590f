using Orleans.Concurrency;
using ReputationGrid.Contracts;

namespace ReputationGrid.Grains.Health;

/// <summary>Answers pings on whichever silo receives them; holds no state.</summary>
[StatelessWorker]
public sealed class HealthGrain : Grain, IHealthGrain
{
    public Task PingAsync() => Task.CompletedTask;
}
