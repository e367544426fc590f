using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Testing.Servers;
using Xunit;

namespace ReputationGrid.Testing;

/// <summary>
/// What every durable account storage must keep: what was acknowledged survives the loss of every silo and
/// storage outages. A test class per storage derives from this, and says how to start its server and point a
/// cluster at it; each test has a server of its own.
/// </summary>
public abstract class AccountDurabilityScenarios<TStorage>
    where TStorage : RestartableServer
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected abstract Task<TStorage> StartStorageAsync(CancellationToken cancellationToken);

    /// <summary>Keeps the cluster's account state in <paramref name="storage"/>.</summary>
    protected abstract void UseStorage(ReputationGridClusterOptions options, TStorage storage);

    /// <summary>Makes the silo's account storage serialize states with <paramref name="serializer"/> instead of its own choice.</summary>
    protected abstract void UseStateSerializer(ISiloBuilder silo, Func<IServiceProvider, IGrainStorageSerializer> serializer);

    /// <summary><see cref="UseStateSerializer"/> for a storage configured by <typeparamref name="TOptions"/>.</summary>
    protected static void SerializeStatesWith<TOptions>(ISiloBuilder silo, Func<IServiceProvider, IGrainStorageSerializer> serializer)
        where TOptions : class, IStorageProviderSerializerOptions =>
        silo.Services.AddOptions<TOptions>("accounts")
            .PostConfigure<IServiceProvider>((options, services) => options.GrainStorageSerializer = serializer(services));

    private Task<ReputationGridCluster> StartClusterAsync(
        TStorage storage, string serviceId, short silos = 2, Func<IServiceProvider, IGrainStorageSerializer>? serializer = null, string? stateFormat = null) =>
        ReputationGridCluster.StartAsync(options =>
        {
            options.Silos = silos;
            options.ServiceId = serviceId;
            UseStorage(options, storage);
            if (stateFormat is not null)
            {
                options.Settings["Storage:StateFormat"] = stateFormat;
            }

            if (serializer is not null)
            {
                options.ConfigureSilo.Add(silo => UseStateSerializer(silo, serializer));
            }
        });

    // How earlier releases stored states, and read them: with the silo's default serializer, JSON.
    private static IGrainStorageSerializer Json(IServiceProvider services) => services.GetRequiredService<IGrainStorageSerializer>();

    private static IGrainStorageSerializer BinaryOnly(IServiceProvider services) => new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

    /// <summary>Kills every silo without letting it deactivate anything, as a power cut would.</summary>
    private static async Task KillAllSilosAsync(ReputationGridCluster cluster)
    {
        foreach (var silo in cluster.Cluster.Silos.ToList())
        {
            await cluster.Cluster.KillSiloAsync(silo);
        }
    }

    private static OperatorAction Ban(string reason) => new(OperatorCommand.Ban, reason, "analyst@example.org");

    [Fact]
    public async Task Bans_and_history_survive_killing_every_silo()
    {
        await using var storage = await StartStorageAsync(Cancel);
        var serviceId = Guid.NewGuid().ToString("N");
        await using (var first = await StartClusterAsync(storage, serviceId))
        {
            await new AccountDriver(first.Client, "banned-by-analyst").Grain.ApplyOperatorActionAsync(Ban("spam farm"));
            var burster = new AccountDriver(first.Client, "burster");
            await burster.RegisterAsync(T0);
            SendDecision last = null!;
            for (var i = 0; i < 100 && last?.Action != EnforcementAction.Ban; i++)
            {
                last = await burster.SendAsync(T0.AddMinutes(5).AddMilliseconds(150 * i), $"stranger-{i}", contact: false);
            }

            Assert.Equal(EnforcementAction.Ban, last.Action);
            await KillAllSilosAsync(first);
        }

        await using var second = await StartClusterAsync(storage, serviceId);

        var analystBan = await new AccountDriver(second.Client, "banned-by-analyst").ViewAsync();
        Assert.Equal(EnforcementAction.Ban, analystBan.Action);
        Assert.Contains(analystBan.History, entry => entry.By == "analyst@example.org" && entry.Note == "spam farm");
        var automaticBan = await new AccountDriver(second.Client, "burster").ViewAsync();
        Assert.Equal(EnforcementAction.Ban, automaticBan.Action);
        Assert.Contains(ReasonCode.NewAccountBurst, automaticBan.Reasons);
        Assert.Contains(automaticBan.History, entry => entry.Action == EnforcementAction.Ban);
    }

    [Fact]
    public async Task A_rolling_upgrade_from_json_states_keeps_every_silo_reading_and_then_stores_binary()
    {
        await using var storage = await StartStorageAsync(Cancel);
        var serviceId = Guid.NewGuid().ToString("N");
        var account = "banned-before-upgrade";
        await using (var earlier = await StartClusterAsync(storage, serviceId, silos: 1, serializer: Json))
        {
            await new AccountDriver(earlier.Client, account).Grain.ApplyOperatorActionAsync(Ban("stored by the earlier release"));
            await earlier.Cluster.StopAllSilosAsync(Cancel);
        }

        // What that release stored is JSON: a silo that reads only the binary format cannot read it.
        await using (var binaryOnly = await StartClusterAsync(storage, serviceId, silos: 1, serializer: BinaryOnly))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => new AccountDriver(binaryOnly.Client, account).ViewAsync());
            await binaryOnly.Cluster.StopAllSilosAsync(Cancel);
        }

        // During the upgrade (Storage:StateFormat=json) the new release reads it, and writes what the earlier one reads.
        await using (var upgrading = await StartClusterAsync(storage, serviceId, silos: 1, stateFormat: "json"))
        {
            var view = await new AccountDriver(upgrading.Client, account).Grain.ApplyOperatorActionAsync(Ban("stored during the upgrade"));
            Assert.Contains(view.History, entry => entry.Note == "stored by the earlier release");
            await upgrading.Cluster.StopAllSilosAsync(Cancel);
        }

        await using (var earlier = await StartClusterAsync(storage, serviceId, silos: 1, serializer: Json))
        {
            Assert.Contains((await new AccountDriver(earlier.Client, account).ViewAsync()).History, entry => entry.Note == "stored during the upgrade");
            await earlier.Cluster.StopAllSilosAsync(Cancel);
        }

        // Once upgraded (the default format), the account's next write is binary.
        await using (var upgraded = await StartClusterAsync(storage, serviceId, silos: 1))
        {
            await new AccountDriver(upgraded.Client, account).Grain.ApplyOperatorActionAsync(Ban("stored after the upgrade"));
            await upgraded.Cluster.StopAllSilosAsync(Cancel);
        }

        await using var after = await StartClusterAsync(storage, serviceId, silos: 1, serializer: BinaryOnly);
        var stored = await new AccountDriver(after.Client, account).ViewAsync();
        Assert.Equal(EnforcementAction.Ban, stored.Action);
        Assert.Equal(
            ["stored by the earlier release", "stored during the upgrade", "stored after the upgrade"],
            stored.History.Select(entry => entry.Note).Where(note => note?.StartsWith("stored") == true));
    }

    [Fact]
    public async Task Counters_are_written_when_silos_stop_gracefully()
    {
        await using var storage = await StartStorageAsync(Cancel);
        var serviceId = Guid.NewGuid().ToString("N");
        await using (var first = await StartClusterAsync(storage, serviceId))
        {
            var account = new AccountDriver(first.Client, "chatty");
            await account.RegisterAsync(DateTimeOffset.UtcNow.AddDays(-30));
            for (var i = 0; i < 12; i++)
            {
                await account.SendAsync(DateTimeOffset.UtcNow, $"friend-{i}", contact: true);
            }

            await first.Cluster.StopAllSilosAsync(Cancel);
        }

        await using var second = await StartClusterAsync(storage, serviceId);
        var view = await new AccountDriver(second.Client, "chatty").ViewAsync();
        Assert.True(view.Known);
        Assert.Equal(12, view.Features["sent24h"]);
    }

    [Fact]
    public async Task A_second_activation_of_an_account_cannot_overwrite_what_the_first_stored()
    {
        await using var storage = await StartStorageAsync(Cancel);
        var serviceId = Guid.NewGuid().ToString("N");
        await using var first = await StartClusterAsync(storage, serviceId, silos: 1);
        await using var second = await StartClusterAsync(storage, serviceId, silos: 1);

        // Two activations of one account that read the same stored state, as two silos can hold while one of
        // them leaves the cluster (dotnet/orleans#5687); here each is in a cluster of its own on the same storage.
        var inFirst = new AccountDriver(first.Client, "twice-active");
        var inSecond = new AccountDriver(second.Client, "twice-active");
        await inFirst.RegisterAsync(T0);
        await inSecond.RegisterAsync(T0);

        Assert.Equal(EnforcementAction.Ban, (await inFirst.Grain.ApplyOperatorActionAsync(Ban("stored first"))).Action);
        await Assert.ThrowsAnyAsync<OrleansException>(() =>
            inSecond.Grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Allowlist, "stale copy", "analyst@example.org")));

        // The storage refused the stale copy's write, so that copy left; the account's next call there reads what
        // the first one stored.
        var view = await inSecond.ViewAsync();
        Assert.Equal(EnforcementAction.Ban, view.Action);
        Assert.Contains(view.History, entry => entry.Note == "stored first");
        Assert.DoesNotContain(view.History, entry => entry.Note == "stale copy");
    }

    [Fact]
    public async Task A_storage_outage_fails_the_calls_that_must_store_and_loses_nothing_acknowledged()
    {
        await using var storage = await StartStorageAsync(Cancel);
        var serviceId = Guid.NewGuid().ToString("N");
        await using (var first = await StartClusterAsync(storage, serviceId, silos: 1))
        {
            var before = new AccountDriver(first.Client, "banned-before");
            await before.Grain.ApplyOperatorActionAsync(Ban("before the outage"));
            var during = new AccountDriver(first.Client, "banned-during");
            await during.RegisterAsync(T0);
            var active = new AccountDriver(first.Client, "active");
            await active.RegisterAsync(T0.AddDays(-30));

            await storage.StopAsync();

            // Changing enforcement must be stored before it is acknowledged: the caller gets the error.
            await Assert.ThrowsAnyAsync<OrleansException>(() => during.Grain.ApplyOperatorActionAsync(Ban("during the outage")));
            // An account that is not active cannot be read, so it cannot answer.
            await Assert.ThrowsAnyAsync<OrleansException>(() => new AccountDriver(first.Client, "never-seen").SendAsync(T0, "someone", contact: true));
            // Counters alone are written later: an active account whose enforcement does not change keeps answering.
            Assert.Equal(EnforcementAction.Allow, (await active.SendAsync(T0, "friend", contact: true)).Action);

            await storage.StartAsync(Cancel);

            var retried = await during.Grain.ApplyOperatorActionAsync(Ban("during the outage"));
            Assert.Equal(EnforcementAction.Ban, retried.Action);
            Assert.Equal(EnforcementAction.Allow, (await new AccountDriver(first.Client, "never-seen").SendAsync(T0, "someone", contact: true)).Action);
            await KillAllSilosAsync(first);
        }

        await using var second = await StartClusterAsync(storage, serviceId, silos: 1);
        Assert.Equal(EnforcementAction.Ban, (await new AccountDriver(second.Client, "banned-before").ViewAsync()).Action);
        Assert.Equal(EnforcementAction.Ban, (await new AccountDriver(second.Client, "banned-during").ViewAsync()).Action);
    }
}
