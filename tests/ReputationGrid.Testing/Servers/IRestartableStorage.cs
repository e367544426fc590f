namespace ReputationGrid.Testing.Servers;

/// <summary>A storage server a test can stop, to cause an outage, and start again with what it had stored.</summary>
public interface IRestartableStorage : IAsyncDisposable
{
    Task StartAsync(CancellationToken cancellationToken = default);

    Task StopAsync();
}
