using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>Accounts linked through devices and networks, on a two-silo in-memory cluster with the default policy.</summary>
public sealed class LinkedAccountTests : IAsyncLifetime
{
    /// <summary>How long an entity's risk may take to reach its listed accounts: a report batch, then a push.</summary>
    private static readonly TimeSpan StalenessBound = TimeSpan.FromSeconds(5);

    // Close to real time, so that views (judged now) and decisions (judged at event time) agree.
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddHours(-2);
    private ReputationGridCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await ReputationGridCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private AccountDriver Account(string id) => new(_cluster.Client, id);

    private IEntityGrain Entity(string key) => _cluster.Client.GetGrain<IEntityGrain>(key);

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string what)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (holds(value))
            {
                return value;
            }

            Assert.True(started.Elapsed < StalenessBound, $"{what} did not hold within {StalenessBound}: {value}");
            await Task.Delay(50);
        }
    }

    private static async Task RegisterAsync(AccountDriver account, DateTimeOffset at, string device, string prefix) =>
        await account.RecordAsync(new AccountRegistered(at, NetworkKind.Mobile, "44", prefix, device));

    [Fact]
    public async Task Entity_grains_count_on_the_service_meter_the_reports_they_absorb_and_the_batches_they_take()
    {
        var meterFactories = _cluster.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<IMeterFactory>()).ToHashSet();
        var measured = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope is IMeterFactory factory && meterFactories.Contains(factory) && instrument.Name.StartsWith("reputationgrid.entity.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
        {
            Assert.True(seconds >= 0, $"a batch took {seconds} s");
            measured.AddOrUpdate(instrument.Name, 1, (_, batches) => batches + 1);
        });
        listener.Start();

        // Two accounts registered on one device in the same moment: their silos' batchers send the device their reports.
        await RegisterAsync(Account("metered-1"), T0, "metered-phone", "100.64.9");
        await RegisterAsync(Account("metered-2"), T0.AddSeconds(1), "metered-phone", "100.64.9");

        // Two entities (the device and the prefix), each told of two accounts, in at most one batch per silo each.
        await EventuallyAsync(() => Task.FromResult(measured.GetValueOrDefault("reputationgrid.entity.reports")), reports => reports == 4, "four reports absorbed");
        var batches = measured.GetValueOrDefault("reputationgrid.entity.batch.duration");
        Assert.InRange(batches, 2, 4);
    }

    [Fact]
    public async Task Replies_within_a_ring_registered_on_one_device_are_not_engagement_and_a_family_of_long_standing_is_no_ring()
    {
        var ring = Enumerable.Range(0, 6).Select(i => Account($"ring-{i}")).ToArray();
        var family = Enumerable.Range(0, 4).Select(i => Account($"family-{i}")).ToArray();
        for (var i = 0; i < ring.Length; i++)
        {
            await RegisterAsync(ring[i], T0.AddSeconds(10 * i), "ring-phone", "100.64.8");
        }

        for (var i = 0; i < family.Length; i++)
        {
            await RegisterAsync(family[i], T0.AddDays(-300 - 40 * i), "family-tablet", $"100.65.{i}");
        }

        await EventuallyAsync(() => Entity("device/ring-phone").GetViewAsync(0, 0), v => v.ListedAccounts == ring.Length, "the ring listed");
        await EventuallyAsync(() => Entity("device/family-tablet").GetViewAsync(0, 0), v => v.ListedAccounts == family.Length, "the family listed");

        // Each round every account messages another one on its device, who answers, and now and then a stranger. A reply
        // that arrives before the device's list of members reached the account counts as an ordinary one.
        foreach (var (accounts, name) in new[] { (ring, "ring"), (family, "family") })
        {
            for (var round = 0; round < 12; round++)
            {
                for (var i = 0; i < accounts.Length; i++)
                {
                    var at = T0.AddMinutes(20 + 3 * round).AddSeconds(i);
                    var partner = $"{name}-{(i + 1 + round % (accounts.Length - 1)) % accounts.Length}";
                    await accounts[i].SendAsync(at, partner, contact: true);
                    await accounts[i].RecordAsync(new ReplyReceived(at.AddSeconds(30), partner));
                    if (round % 3 == 0)
                    {
                        await accounts[i].SendAsync(at.AddSeconds(40), $"stranger-{name}-{i}-{round}", contact: false);
                    }
                }
            }
        }

        foreach (var account in ring)
        {
            var view = await account.ViewAsync();
            Assert.True(view.Features["ringReplies24h"] >= 10, $"{view.Account}: {view.Features["ringReplies24h"]} ring replies");
            Assert.Contains(ReasonCode.ClosedReplyRing, view.Reasons);
            Assert.True(view.Action.Severity() >= EnforcementAction.Challenge.Severity(), $"{view.Account}: {view.Action}");
        }

        foreach (var account in family)
        {
            var view = await account.ViewAsync();
            Assert.Equal((12.0, 0.0), (view.Features["replies24h"], view.Features["ringReplies24h"]));
            Assert.Equal(EnforcementAction.Allow, view.Action);
        }
    }

    [Fact]
    public async Task A_farm_registered_on_one_device_is_suspended_though_no_account_crosses_a_threshold_of_its_own()
    {
        var farm = Enumerable.Range(0, 30).Select(i => Account($"farm-{i}")).ToArray();
        for (var i = 0; i < farm.Length; i++)
        {
            await RegisterAsync(farm[i], T0.AddSeconds(20 * i), "farm-phone", "100.64.7");
        }

        // Ten messages each, two to each of five strangers, at a human pace: alone, each account stays below a suspension.
        var random = new Random(7);
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < farm.Length; i++)
            {
                await farm[i].SendAsync(T0.AddMinutes(30 + 3 * round).AddSeconds(i + random.Next(60)), $"stranger-{i}-{round / 2}", contact: false);
            }
        }

        foreach (var account in farm)
        {
            var view = await EventuallyAsync(account.ViewAsync, v => v.Action.Severity() >= EnforcementAction.Suspend.Severity(), $"{account.Grain.GetPrimaryKeyString()} suspended");
            Assert.Contains(ReasonCode.LinkedRegistrationBurst, view.Reasons);
            var next = await account.SendAsync(T0.AddMinutes(70), "one-more-stranger", contact: false);
            Assert.True(next.Action.Severity() >= EnforcementAction.Suspend.Severity(), $"got {next.Action}");
        }

        var alone = Account("farm-lookalike-alone");
        await alone.RegisterAsync(T0);
        for (var round = 0; round < 10; round++)
        {
            Assert.Equal(EnforcementAction.Allow, (await alone.SendAsync(T0.AddMinutes(30 + 3 * round).AddSeconds(random.Next(60)), $"stranger-x-{round}", contact: false)).Action);
        }

        var device = await Entity("device/farm-phone").GetViewAsync(0, 10);
        Assert.Equal(30, device.LinkedAccounts);
        Assert.Equal(10, device.Accounts.Length);
        Assert.Contains(ReasonCode.LinkedRegistrationBurst, device.Reasons);
    }

    [Fact]
    public async Task A_family_sharing_a_tablet_is_never_actioned_for_the_link()
    {
        var family = Enumerable.Range(0, 6).Select(i => Account($"family-{i}")).ToArray();
        for (var i = 0; i < family.Length; i++)
        {
            await RegisterAsync(family[i], T0.AddMinutes(i), "family-tablet", "81.2.69");
        }

        var random = new Random(5);
        for (var round = 0; round < 40; round++)
        {
            for (var i = 0; i < family.Length; i++)
            {
                var at = T0.AddMinutes(30 + 2 * round).AddSeconds(10 * i + random.Next(100));
                var decision = await family[i].SendAsync(at, $"friend-{i}-{round % 9}", contact: round % 5 != 0);
                Assert.True(decision.Action == EnforcementAction.Allow, $"{decision.Action}: {string.Join(", ", decision.Reasons)}");
                await family[i].RecordAsync(new ReplyReceived(at.AddSeconds(30), $"friend-{i}-{round % 9}"));
            }
        }

        // Every account's link reached the entity: whatever the entity would push has been decided.
        var tablet = await EventuallyAsync(() => Entity("device/family-tablet").GetViewAsync(0, 10), v => v.LinkedAccounts == family.Length, "the tablet lists the family");
        Assert.Empty(tablet.Reasons);
        foreach (var account in family)
        {
            Assert.Equal(EnforcementAction.Allow, (await account.ViewAsync()).Action);
        }
    }

    [Fact]
    public async Task An_entity_ban_reaches_linked_accounts_and_accounts_that_link_later_and_a_clear_lifts_it()
    {
        var before = Enumerable.Range(0, 5).Select(i => Account($"shop-{i}")).ToArray();
        foreach (var account in before)
        {
            await account.RecordAsync(new SessionStarted(T0, DeviceId: "shop-phone"));
        }

        await EventuallyAsync(() => Entity("device/shop-phone").GetViewAsync(0, 10), v => v.LinkedAccounts == before.Length, "the phone lists its accounts");
        var banned = await Entity("device/shop-phone").ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Ban, "sells accounts", "operator-1"));
        Assert.True(banned.Banned);

        foreach (var account in before)
        {
            var view = await EventuallyAsync(account.ViewAsync, v => v.Action == EnforcementAction.Ban, "a linked account banned");
            // The ban is the entity's; the policy may record its own view of the account after it.
            Assert.Contains(view.History, entry => entry.By == "entity:device/shop-phone" && entry.Action == EnforcementAction.Ban);
        }

        var later = Account("shop-later");
        await later.RecordAsync(new SessionStarted(T0.AddHours(1), DeviceId: "shop-phone"));
        await EventuallyAsync(later.ViewAsync, v => v.Action == EnforcementAction.Ban, "an account linked after the ban banned");

        await Entity("device/shop-phone").ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Clear, "sold", "operator-1"));
        await EventuallyAsync(later.ViewAsync, v => v.Action == EnforcementAction.Allow, "the clear lifting the entity's ban");
    }
}
