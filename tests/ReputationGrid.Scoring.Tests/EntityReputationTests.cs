using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Linking;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

public sealed class EntityReputationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly ScoringPolicy _policy = new();

    [Fact]
    public void A_registration_burst_of_stranger_senders_on_one_device_is_farm_trainingData()
    {
        var device = new EntityReputation(EntityKind.Device);
        for (var i = 0; i < 20; i++)
        {
            device.Report($"farm-{i}", T0.AddMinutes(i), registration: true, LinkedAccountFlags.None);
        }

        Assert.Equal(default, device.Risk(_policy));
        for (var i = 0; i < 12; i++)
        {
            device.Report($"farm-{i}", T0.AddMinutes(30 + i), registration: false, LinkedAccountFlags.StrangerSender | LinkedAccountFlags.YoungStrangerSender);
        }

        var risk = device.Risk(_policy);
        Assert.Equal(0.6, risk.FarmShare);
        Assert.Equal(0, risk.ActionedShare);
        Assert.Equal(20, device.LinkedAccounts);
    }

    [Fact]
    public void A_family_on_one_tablet_and_an_office_behind_one_prefix_carry_no_risk_however_many_registered()
    {
        var tablet = new EntityReputation(EntityKind.Device);
        var office = new EntityReputation(EntityKind.Network);
        for (var i = 0; i < 200; i++)
        {
            office.Report($"staff-{i}", T0.AddMinutes(i), registration: true, LinkedAccountFlags.None);
            if (i < 6)
            {
                tablet.Report($"family-{i}", T0.AddMinutes(i), registration: true, LinkedAccountFlags.None);
            }
        }

        // Two of the office's accounts message strangers and one of them is suspended: not enough to mean anything.
        office.Report("staff-1", T0.AddHours(2), false, LinkedAccountFlags.StrangerSender);
        office.Report("staff-2", T0.AddHours(2), false, LinkedAccountFlags.StrangerSender | LinkedAccountFlags.Actioned);

        Assert.Equal(default, tablet.Risk(_policy));
        Assert.Equal(default, office.Risk(_policy));
    }

    [Fact]
    public void Actioned_accounts_count_as_a_share_once_there_are_enough_of_them()
    {
        var network = new EntityReputation(EntityKind.Network);
        for (var i = 0; i < 10; i++)
        {
            network.Report($"a-{i}", T0, false, i < 4 ? LinkedAccountFlags.Actioned : LinkedAccountFlags.None);
        }

        Assert.Equal(0.4, network.Risk(_policy).ActionedShare);

        network.Report("a-0", T0.AddMinutes(1), false, LinkedAccountFlags.None);
        network.Report("a-1", T0.AddMinutes(1), false, LinkedAccountFlags.None);
        Assert.Equal(0, network.Risk(_policy).ActionedShare);
    }

    [Fact]
    public void Clearing_an_entity_forgets_the_accounts_its_ban_actioned()
    {
        var device = new EntityReputation(EntityKind.Device);
        device.Apply(new EntityAction(true, T0, "operator-1", "farm"));
        for (var i = 0; i < 5; i++)
        {
            device.Report($"a-{i}", T0.AddMinutes(1), false, LinkedAccountFlags.Actioned);
        }

        Assert.Equal(new EntityRisk(1, 0, 0, Banned: true), device.Risk(_policy));

        device.Apply(new EntityAction(false, T0.AddHours(1), "operator-1", "a mistake"));
        Assert.Equal(default, device.Risk(_policy));
        Assert.Equal(LinkedAccountFlags.None, device.FlagsOf("a-0"));
    }

    [Fact]
    public void A_fingerprint_sent_by_young_stranger_senders_is_a_campaign_and_a_viral_one_is_not()
    {
        var campaign = new EntityReputation(EntityKind.Content);
        var viral = new EntityReputation(EntityKind.Content);
        for (var i = 0; i < 30; i++)
        {
            campaign.Report($"fresh-{i}", T0, false, LinkedAccountFlags.StrangerSender | LinkedAccountFlags.YoungStrangerSender);
        }

        for (var i = 0; i < 5_000; i++)
        {
            // A few spammers forward the meme too: they are a sliver of its senders.
            viral.Report($"person-{i}", T0, false, i % 500 == 0 ? LinkedAccountFlags.StrangerSender | LinkedAccountFlags.YoungStrangerSender : LinkedAccountFlags.None);
        }

        Assert.Equal(30, campaign.Risk(_policy).CampaignSenders);
        Assert.Equal(default, viral.Risk(_policy));
    }

    [Fact]
    public void An_entity_with_100000_linked_accounts_stays_bounded()
    {
        var prefix = new EntityReputation(EntityKind.Network);
        for (var i = 0; i < 100_000; i++)
        {
            prefix.Report($"subscriber-{i}", T0.AddSeconds(i), registration: i % 100 == 0, LinkedAccountFlags.None);
        }

        Assert.Equal(EntityReputation.ListedAccountLimit, prefix.ListedAccounts.Count);
        Assert.InRange(prefix.LinkedAccounts, 85_000, 115_000);
        Assert.InRange(prefix.Encode().Length, 1, 64 * 1024);
        Assert.Equal(default, prefix.Risk(_policy));
    }

    [Fact]
    public void An_entity_reads_back_what_it_stored()
    {
        var device = new EntityReputation(EntityKind.Device);
        for (var i = 0; i < 10; i++)
        {
            device.Report($"farm-{i}", T0.AddMinutes(i), true, LinkedAccountFlags.StrangerSender | (i < 5 ? LinkedAccountFlags.Actioned : 0));
        }

        device.Apply(new EntityAction(true, T0.AddHours(1), "operator-1", "farm"));
        var read = EntityReputation.Decode(EntityKind.Device, device.Encode());

        Assert.Equal(device.Risk(_policy), read.Risk(_policy));
        Assert.Equal(device.Measure(), read.Measure());
        Assert.Equal(device.ListedAccounts, read.ListedAccounts);
        Assert.Equal(device.History, read.History);
        Assert.True(read.Risk(_policy).Banned);
        Assert.Equal(LinkedAccountFlags.StrangerSender | LinkedAccountFlags.Actioned, read.FlagsOf("farm-1"));
    }

    [Fact]
    public void An_account_keeps_a_bounded_number_of_links_and_stores_only_device_and_network_ones()
    {
        var links = new AccountLinks();
        Assert.True(links.Add(EntityKind.Device, "tablet", T0, registration: true));
        Assert.False(links.Add(EntityKind.Device, "tablet", T0.AddMinutes(1)));
        links.Add(EntityKind.Network, "10.0.0", T0);
        for (var i = 0; i < 20; i++)
        {
            links.Add(EntityKind.Content, $"fp-{i}", T0.AddSeconds(i));
        }

        Assert.Equal(2 + AccountLinks.MaxLinksPerKind, links.All.Count);
        Assert.Null(links.Find(EntityKind.Content, "fp-0"));
        Assert.NotNull(links.Find(EntityKind.Content, "fp-19"));

        var read = AccountLinks.Decode(links.Encode());
        Assert.Equal(["device/tablet", "network/10.0.0"], read.All.Select(link => link.Key));
        Assert.False(read.HasUnreported);
    }

    [Fact]
    public void An_entity_ban_is_a_standing_override_by_the_entity_that_clearing_the_entity_lifts()
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0, NetworkKind.Mobile, false, null, null, "tablet"));
        account.Links.Add(EntityKind.Device, "tablet", T0, registration: true);

        account.UpdateLink(EntityKind.Device, "tablet", new EntityRisk(0, 0, 0, Banned: true), T0.AddHours(1), _policy);
        var banned = account.CheckSend(T0.AddHours(2), new OutgoingMessage("friend", true), _policy, out _);

        Assert.Equal(EnforcementAction.Ban, banned.Action);
        Assert.Equal("entity:device/tablet", account.Enforcement.Override?.By);
        Assert.Equal(LinkedAccountFlags.None, account.LinkFlags & LinkedAccountFlags.Actioned);

        account.UpdateLink(EntityKind.Device, "tablet", default, T0.AddHours(3), _policy);
        Assert.Null(account.Enforcement.Override);
        Assert.Equal(EnforcementAction.Allow, account.CheckSend(T0.AddHours(4), new OutgoingMessage("friend", true), _policy, out _).Action);
        Assert.Equal(["entity:device/tablet", "entity:device/tablet"], account.Enforcement.History.Select(entry => entry.By));
    }

    [Fact]
    public void A_farm_device_risk_suspends_a_young_account_before_it_sends_much()
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0, NetworkKind.Mobile, false, null, null, "farm-phone"));
        account.Links.Add(EntityKind.Device, "farm-phone", T0, registration: true);

        var change = account.UpdateLink(EntityKind.Device, "farm-phone", new EntityRisk(0, FarmShare: 0.8, 0, false), T0.AddMinutes(5), _policy);
        var decision = account.CheckSend(T0.AddMinutes(6), new OutgoingMessage("stranger", false), _policy, out _);

        Assert.Equal(EnforcementChange.Standing, change);
        Assert.True(decision.Action.Severity() >= EnforcementAction.Suspend.Severity(), $"got {decision.Action}");
        Assert.Contains(ReasonCode.LinkedRegistrationBurst, decision.Reasons);
    }

    [Fact]
    public void Accounts_an_entity_banned_do_not_count_as_actioned_so_clearing_the_entity_leaves_them_allowed()
    {
        var accounts = Enumerable.Range(0, 5).Select(_ => new AccountReputation()).ToArray();
        var phone = new EntityReputation(EntityKind.Device);
        for (var i = 0; i < accounts.Length; i++)
        {
            accounts[i].Behaviour.RecordRegistration(new Registration(T0, NetworkKind.Mobile, false, null, null, "shop-phone"));
            accounts[i].Links.Add(EntityKind.Device, "shop-phone", T0, registration: true);
            accounts[i].UpdateLink(EntityKind.Device, "shop-phone", new EntityRisk(0, 0, 0, Banned: true), T0.AddHours(1), _policy);
            accounts[i].CheckSend(T0.AddHours(2), new OutgoingMessage("friend", true), _policy, out _);
            phone.Report($"shop-{i}", T0.AddHours(2), registration: true, accounts[i].LinkFlags);
        }

        var risk = phone.Risk(_policy);
        Assert.Equal(0, risk.ActionedShare);

        accounts[0].UpdateLink(EntityKind.Device, "shop-phone", default, T0.AddHours(3), _policy);
        accounts[0].UpdateLink(EntityKind.Device, "shop-phone", phone.Risk(_policy), T0.AddHours(3), _policy);
        Assert.Equal(EnforcementAction.Allow, accounts[0].CheckSend(T0.AddHours(4), new OutgoingMessage("friend", true), _policy, out _).Action);
    }

    [Fact]
    public void An_operator_ban_on_the_account_itself_counts_as_actioned()
    {
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0, NetworkKind.Mobile, false, null, null, "tablet"));
        account.Links.Add(EntityKind.Device, "tablet", T0, registration: true);
        account.Enforcement.ApplyOverride(OperatorCommand.Ban, T0.AddHours(1), "operator-1", "spam", null);

        account.CheckSend(T0.AddHours(2), new OutgoingMessage("friend", true), _policy, out _);

        Assert.Equal(LinkedAccountFlags.Actioned, account.LinkFlags & LinkedAccountFlags.Actioned);
    }
}
