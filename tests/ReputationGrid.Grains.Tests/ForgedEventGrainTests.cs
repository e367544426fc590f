using Microsoft.Extensions.Time.Testing;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>Events users forge or abuse to harm each other, replayed through account grains.</summary>
public sealed class ForgedEventGrainTests(ForgedEventGrainTests.Cluster cluster) : IClassFixture<ForgedEventGrainTests.Cluster>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One cluster for every test here (each uses accounts of its own), its clock a little after the events: views are judged at the clock's time.</summary>
    public sealed class Cluster : ReputationGridClusterFixture
    {
        protected override void Configure(ReputationGridClusterOptions options) => (options.Time, options.Silos) = (new FakeTimeProvider(T0.AddMinutes(15)), 1);
    }

    private IAccountGrain Grain(string id) => cluster.Client.GetGrain<IAccountGrain>(id);

    [Fact]
    public async Task A_second_registration_is_recorded_and_keeps_the_age_of_the_first()
    {
        var account = Grain("old-timer");
        await account.RecordAsync([new AccountRegistered(T0.AddYears(-3), NetworkKind.Mobile, DeviceId: "old-phone")]);
        await account.RecordAsync([new AccountRegistered(T0, NetworkKind.Mobile, DeviceId: "new-phone")]);

        var view = await account.GetViewAsync();
        Assert.True(view.Features["accountAgeHours"] > 3 * 365 * 24);
        Assert.Equal(1, view.Features["reregistrations"]);
        Assert.Contains(view.Links, link => link.Entity.EndsWith("new-phone", StringComparison.Ordinal)); // the new device is still linked
    }

    [Fact]
    public async Task Behaviour_dated_before_the_registration_is_refused_naming_the_event_and_nothing_of_the_batch_is_recorded()
    {
        // Replays the attack: events dated years back suspended and banned an account before its owner appeared.
        var account = Grain("newcomer");
        await account.RecordAsync([new AccountRegistered(T0, NetworkKind.Mobile)]);
        var reports = Enumerable.Range(0, 20).Select(i => (AccountEvent)new Reported(T0.AddYears(-2).AddMinutes(i), $"r-{i}", "spam"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => account.RecordAsync([new ContactAdded(T0.AddYears(-5), "old-friend"), .. reports]));

        Assert.Contains("reported at 2024-11-23T12:00:00.0000000+00:00 is dated before the account registered", error.Message);
        var view = await account.GetViewAsync();
        Assert.Equal(EnforcementAction.Allow, view.Action);
        Assert.Equal(0, view.Features["contactsAdded24h"]);
    }

    [Fact]
    public async Task A_send_check_dated_before_the_registration_is_refused_and_records_nothing()
    {
        var account = Grain("checked-too-early");
        await account.RecordAsync([new AccountRegistered(T0, NetworkKind.Mobile)]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => account.CheckSendAsync(T0.AddMinutes(-1), new MessageDetails("someone", RecipientIsContact: false)));

        Assert.Equal("send check at 2026-11-23T11:59:00.0000000+00:00 is dated before the account registered (2026-11-23T12:00:00.0000000+00:00); nothing was recorded.", error.Message);
        Assert.Equal(0, (await account.GetViewAsync()).Features["attempts24h"]);
        Assert.Equal(EnforcementAction.Allow, (await account.CheckSendAsync(T0, new MessageDetails("someone", RecipientIsContact: false))).Action);
    }

    [Fact]
    public async Task Address_books_and_registrations_may_carry_any_past_date_and_a_batch_may_register_before_its_behaviour()
    {
        var account = Grain("onboarded");
        await account.RecordAsync([new AccountRegistered(T0, NetworkKind.Mobile), new ContactAdded(T0.AddYears(-1), "old-friend")]);
        await account.RecordAsync([new AccountRegistered(T0.AddYears(-4), NetworkKind.Mobile), new ReplyReceived(T0.AddYears(-3), "old-friend")]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Grain("fresh").RecordAsync([new ReplyReceived(T0.AddMinutes(-1), "x"), new AccountRegistered(T0, NetworkKind.Mobile), new ReplyReceived(T0.AddMinutes(-2), "x")]));
        Assert.StartsWith("reply_received at ", error.Message);
        Assert.Contains("only account_registered and contact_added may be", error.Message);
    }

    [Fact]
    public async Task Reports_weigh_the_standing_their_reporters_have_in_their_own_accounts()
    {
        // Ten farm accounts registered yesterday report an honest account they were all messaged by; ten old friends
        // reporting the same would suspend it.
        async Task<IAccountGrain> HonestAsync(string id)
        {
            var honest = Grain(id);
            await honest.RecordAsync([new AccountRegistered(T0.AddYears(-1), NetworkKind.Mobile)]);
            for (var i = 0; i < 20; i++)
            {
                await honest.CheckSendAsync(T0.AddMinutes(-60 + 3 * i), new MessageDetails($"{id}-friend-{i}", RecipientIsContact: true, Typed: true));
                if (i % 2 == 0)
                {
                    await honest.RecordAsync([new ReplyReceived(T0.AddMinutes(-59 + 3 * i), $"{id}-friend-{i}")]); // friends answer
                }
            }

            return honest;
        }

        var reportedByFarm = await HonestAsync("farmed");
        var reportedByFriends = await HonestAsync("befriended");
        for (var i = 0; i < 10; i++)
        {
            await Grain($"farmed-friend-{i}").RecordAsync([new AccountRegistered(T0.AddDays(-1), NetworkKind.Voip)]);
            await Grain($"befriended-friend-{i}").RecordAsync([new AccountRegistered(T0.AddYears(-2), NetworkKind.Mobile)]);
        }

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => reportedByFarm.RecordAsync([new Reported(T0.AddMinutes(i), $"farmed-friend-{i}", "spam")])));
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => reportedByFriends.RecordAsync([new Reported(T0.AddMinutes(i), $"befriended-friend-{i}", "spam")])));

        Assert.Equal(EnforcementAction.Allow, (await reportedByFarm.GetViewAsync()).Action);
        Assert.Equal(EnforcementAction.Suspend, (await reportedByFriends.GetViewAsync()).Action);
        Assert.Equal(ReporterStanding.Young, await Grain("farmed-friend-0").GetStandingAsync(T0));
    }

    [Fact]
    public async Task Two_accounts_reporting_each_other_at_once_do_not_wait_on_each_other()
    {
        var alice = Grain("alice");
        var bob = Grain("bob");
        await Task.WhenAll(alice.RecordAsync([new AccountRegistered(T0.AddYears(-1), NetworkKind.Mobile)]), bob.RecordAsync([new AccountRegistered(T0.AddYears(-1), NetworkKind.Mobile)]));

        var exchanges = Enumerable.Range(0, 50).SelectMany(i => new[]
        {
            alice.RecordAsync([new Blocked(T0.AddSeconds(i), "bob")]),
            bob.RecordAsync([new Blocked(T0.AddSeconds(i), "alice")]),
        });

        await Task.WhenAll(exchanges).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(1, (await alice.GetViewAsync()).Features["uncorroboratedFeedback24h"]);
    }
}
