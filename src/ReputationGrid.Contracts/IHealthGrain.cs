namespace ReputationGrid.Contracts;

/// <summary>A round trip to a silo, for readiness checks: answering proves a silo is up and reachable.</summary>
[Alias("rg.IHealthGrain")]
public interface IHealthGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task PingAsync();
}
