using ReputationGrid.Testing;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Grains.Tests;

/// <summary>Account grains on Redis storage (<c>Storage:Provider=redis</c>): what was acknowledged survives silo loss and Redis outages.</summary>
public sealed class RedisAccountDurabilityTests : AccountDurabilityScenarios<RedisServer>
{
    protected override Task<RedisServer> StartStorageAsync(CancellationToken cancellationToken) =>
        RedisServer.StartNewAsync(cancellationToken);

    protected override void UseStorage(ReputationGridClusterOptions options, RedisServer storage) =>
        options.UseRedisStorage(storage.ConnectionString);
}
