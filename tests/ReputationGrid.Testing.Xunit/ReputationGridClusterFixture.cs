using Xunit;

namespace ReputationGrid.Testing;

/// <summary>
/// An xunit fixture sharing one <see cref="ReputationGridCluster"/> across a test class or collection.
/// Derive from it and override <see cref="Configure"/> to change the cluster.
/// </summary>
public class ReputationGridClusterFixture : IAsyncLifetime
{
    private ReputationGridCluster? _cluster;

    public ReputationGridCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public IClusterClient Client => Cluster.Client;

    protected virtual void Configure(ReputationGridClusterOptions options)
    {
    }

    public async ValueTask InitializeAsync() => _cluster = await ReputationGridCluster.StartAsync(Configure);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
