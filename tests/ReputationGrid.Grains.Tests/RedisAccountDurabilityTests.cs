using Orleans.Persistence;
using Orleans.Storage;
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

    protected override void UseStateSerializer(ISiloBuilder silo, Func<IServiceProvider, IGrainStorageSerializer> serializer) =>
        SerializeStatesWith<RedisStorageOptions>(silo, serializer);

    [Fact]
    public async Task With_abortConnect_off_a_silo_starts_while_Redis_is_down_and_serves_once_it_is_up()
    {
        await using var redis = new RedisServer();
        await using var cluster = await ReputationGridCluster.StartAsync(options =>
        {
            options.Silos = 1;
            options.UseRedisStorage($"{redis.ConnectionString},abortConnect=false");
        });
        var account = new AccountDriver(cluster.Client, "early-caller");
        await Assert.ThrowsAnyAsync<OrleansException>(() => account.ViewAsync());

        await redis.StartAsync(TestContext.Current.CancellationToken);

        Assert.False((await account.ViewAsync()).Known);
    }

    [Fact]
    public async Task Without_it_a_silo_does_not_start_while_Redis_is_down()
    {
        await using var redis = new RedisServer();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReputationGridCluster.StartAsync(options =>
        {
            options.Silos = 1;
            options.UseRedisStorage(redis.ConnectionString);
        }));

        Assert.Contains("It was not possible to connect to the redis server", error.ToString());
    }
}
