using Azure.Data.Tables;
using ReputationGrid.Contracts;
using ReputationGrid.Testing;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.AzureStorage.Tests;

/// <summary>The account table is created when the silo starts, waiting while storage is not yet reachable.</summary>
public sealed class TableCreationTests(AzuriteFixture azurite, AccountStorageFixture storage) : IClassFixture<AccountStorageFixture>
{
    [Fact]
    public async Task The_silo_created_its_table_when_it_started()
    {
        var service = new TableServiceClient(azurite.ConnectionString);

        var tables = await service.QueryAsync(t => t.Name == storage.TableName, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Single(tables);
    }

    [Fact]
    public async Task A_silo_started_before_its_storage_waits_for_it_and_then_serves()
    {
        await using var lateStorage = new AzuriteServer();
        var starting = ReputationGridCluster.StartAsync(options =>
        {
            options.Silos = 1;
            options.UseAzureTableStorage(lateStorage.ConnectionString, "LateStart");
        });

        Assert.False(starting.IsCompleted);
        await lateStorage.StartAsync(TestContext.Current.CancellationToken);
        await using var cluster = await starting;

        var account = cluster.Client.GetGrain<IAccountGrain>("after-a-late-start");
        await account.ApplyOperatorActionAsync(new OperatorAction(Scoring.Enforcement.OperatorCommand.Ban, "test", "ops:test", null));
        Assert.Equal(Scoring.EnforcementAction.Ban, (await account.GetViewAsync()).Action);
    }

    [Fact]
    public async Task A_silo_whose_storage_never_answers_gives_up_after_the_startup_timeout_with_a_clear_error()
    {
        await using var unreachable = new AzuriteServer();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReputationGridCluster.StartAsync(options =>
        {
            options.Silos = 1;
            options.UseAzureTableStorage(unreachable.ConnectionString, "NeverReached");
            options.Settings["Storage:StartupTimeout"] = "00:00:01";
        }));

        Assert.Contains("did not answer within 00:00:01", error.ToString());
    }

    [Fact]
    public async Task A_silo_configured_for_azuretable_without_a_connection_string_does_not_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReputationGridCluster.StartAsync(options =>
        {
            options.Silos = 1;
            options.Settings["Storage:Provider"] = "azuretable";
        }));

        Assert.Contains("Storage:ConnectionString is required", error.ToString());
    }
}
