using ReputationGrid.Contracts;
using ReputationGrid.Simulator.Population;

namespace ReputationGrid.Simulator.Tests;

/// <summary>The traffic generators: shares, determinism, validity for the HTTP API, and the shapes the scenarios promise.</summary>
public sealed class PopulationTests
{
    private static readonly DateTimeOffset Start = PopulationSettings.DefaultStart;
    private static readonly PopulationPlan Plan = new(new PopulationSettings(2_000, TimeSpan.FromHours(24), Start, Seed: 5));

    private static IEnumerable<AccountScript> Scripts(AccountKind kind) =>
        Enumerable.Range(0, Plan.Count).Where(i => Plan.KindOf(i) == kind).Select(Plan.Script);

    [Fact]
    public void Kinds_are_listed_in_enum_order_with_unique_labels()
    {
        Assert.Equal(Enum.GetValues<AccountKind>(), AccountKinds.All.Select(k => k.Kind));
        Assert.Equal(AccountKinds.All.Count, AccountKinds.All.Select(k => k.Label).Distinct().Count());
        Assert.All(AccountKinds.All.Where(k => k.Honest), k => Assert.False(k.RecallTarget));
    }

    [Fact]
    public void Each_kind_has_its_share_and_ordinary_people_make_up_the_rest()
    {
        var plan = new PopulationPlan(new PopulationSettings(10_000, TimeSpan.FromHours(24), Start, Seed: 1));
        var counts = Enumerable.Range(0, plan.Count).CountBy(plan.KindOf).ToDictionary();
        Assert.Equal(10_000, plan.Count);
        Assert.All(AccountKinds.All.Where(k => k.Share > 0), k => Assert.Equal((int)Math.Round(10_000 * k.Share), counts[k.Kind]));
        Assert.Equal(100, counts[AccountKind.NewAccountBurst]);
        Assert.Equal(150, counts[AccountKind.NewAccountManyContacts]);
        Assert.Equal(7_050, counts[AccountKind.Honest]); // the look-alikes of a farm and the linked scenarios are taken from the ordinary people
        Assert.Equal(8_280, AccountKinds.All.Where(k => k.Honest).Sum(k => counts[k.Kind]));
    }

    [Fact]
    public void A_script_depends_only_on_the_seed_and_the_index()
    {
        var again = new PopulationPlan(Plan.Settings);
        var otherSeed = new PopulationPlan(Plan.Settings with { Seed = 6 });
        foreach (var index in new[] { 0, 17, 999, 1_999 })
        {
            Assert.Equal(Render(Plan.Script(index)), Render(again.Script(index)));
            Assert.Equal(Plan.KindOf(index), again.KindOf(index));
        }

        Assert.NotEqual(
            Enumerable.Range(0, 50).Select(i => Render(Plan.Script(i))),
            Enumerable.Range(0, 50).Select(i => Render(otherSeed.Script(i))));
    }

    [Fact]
    public void Every_script_is_in_time_order_within_the_run_with_ids_the_api_accepts()
    {
        var end = Start + Plan.Settings.Duration;
        for (var index = 0; index < Plan.Count; index++)
        {
            var script = Plan.Script(index);
            Assert.True(Identifiers.IsValid(script.Account));
            Assert.Equal(script.Events.OrderBy(e => e.At), script.Events);
            Assert.Equal(script.Sends.OrderBy(s => s.At), script.Sends);
            Assert.All(script.Events, e => Assert.True(e.At < end && e.At.Ticks % TimeSpan.TicksPerMillisecond == 0, $"{script.Account}: {e}"));
            Assert.Single(script.Events.OfType<AccountRegistered>());
            foreach (var send in script.Sends)
            {
                Assert.InRange(send.At, Start, end.AddTicks(-1));
                Assert.True(Identifiers.IsValid(send.Message.Recipient), send.Message.Recipient);
                Assert.True(send.Message.GroupId is null || Identifiers.IsValid(send.Message.GroupId));
                Assert.True(send.Message.Fingerprint is null || send.Message.Fingerprint.Length <= 128);
                Assert.All(send.IfDelivered, reaction => Assert.True(reaction.At >= send.At && reaction.At < end));
            }

            Assert.All(script.Events.OfType<GroupMembersAdded>(), e => Assert.InRange(e.NonContacts, 0, e.Count));
        }
    }

    [Fact]
    public void Honest_people_mostly_message_contacts_get_replies_and_vary_widely_in_volume()
    {
        var scripts = Scripts(AccountKind.Honest).ToList();
        var sends = scripts.SelectMany(s => s.Sends).ToList();
        var toContacts = sends.Count(s => s.Message.RecipientIsContact) / (double)sends.Count;
        var replied = sends.Count(s => s.IfDelivered.Any(r => r is ReplyReceived)) / (double)sends.Count;
        var volumes = scripts.Select(s => s.Sends.Count).Order().ToArray();

        Assert.InRange(toContacts, 0.9, 0.99);
        Assert.InRange(replied, 0.3, 0.6);
        Assert.True(volumes[^(volumes.Length / 100)] >= 5 * volumes[volumes.Length / 2], $"p99 {volumes[^(volumes.Length / 100)]}, median {volumes[volumes.Length / 2]}");
        Assert.All(scripts, s => Assert.Null(s.Onset));
    }

    [Fact]
    public void Couriers_message_many_new_customers_who_mostly_reply()
    {
        foreach (var script in Scripts(AccountKind.Courier))
        {
            var customers = script.Sends.Where(s => !s.Message.RecipientIsContact).ToList();
            Assert.InRange(customers.Select(s => s.Message.Recipient).Distinct().Count(), 30, 80);
            Assert.True(customers.Count(s => s.IfDelivered.Any(r => r is ReplyReceived)) >= customers.Count / 3);
        }
    }

    [Fact]
    public void A_new_account_burst_registers_then_sends_at_least_40_messages_in_its_first_15_seconds()
    {
        foreach (var script in Scripts(AccountKind.NewAccountBurst))
        {
            var registered = script.Events.OfType<AccountRegistered>().Single().At;
            Assert.InRange(script.Onset!.Value - registered, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));
            Assert.True(script.Sends.Count(s => s.At - script.Onset < TimeSpan.FromSeconds(15)) >= 40);
            Assert.All(script.Sends, s => Assert.False(s.Message.RecipientIsContact));
        }
    }

    [Fact]
    public void Every_abuse_script_says_when_its_abuse_starts_and_sends_from_then()
    {
        foreach (var kind in AccountKinds.All.Where(k => !k.Honest))
        {
            Assert.All(Scripts(kind.Kind), script =>
            {
                Assert.NotNull(script.Onset);
                Assert.Contains(script.Sends, s => s.At >= script.Onset);
            });
        }
    }

    [Fact]
    public void An_account_farm_shares_one_device_and_network_prefix_and_registers_within_an_hour()
    {
        var farm = Enumerable.Range(0, Plan.Count)
            .Where(i => Plan.KindOf(i) == AccountKind.AccountFarm)
            .Select(i => Plan.Script(i).Events.OfType<AccountRegistered>().Single())
            .ToList();

        Assert.Equal(20, farm.Count);
        Assert.Single(farm.Select(r => r.DeviceId).Distinct());
        Assert.Single(farm.Select(r => r.IpPrefix).Distinct());
        Assert.All(farm, r => Assert.Equal(Scoring.NetworkKind.Voip, r.Network));
        Assert.True(farm.Max(r => r.At) - farm.Min(r => r.At) <= TimeSpan.FromHours(1));
    }

    [Fact]
    public void A_reply_ring_registers_within_an_hour_on_two_devices_and_one_prefix_and_answers_itself_between_a_few_strangers()
    {
        var members = Enumerable.Range(0, Plan.Count).Where(i => Plan.KindOf(i) == AccountKind.ReplyRing).ToList();
        var ids = members.Select(Plan.IdOf).ToHashSet();
        var registrations = members.Select(i => Plan.Script(i).Events.OfType<AccountRegistered>().Single()).ToList();

        Assert.Equal(PopulationPlan.RingSize, members.Count);
        Assert.InRange(registrations.Select(r => r.DeviceId).Distinct().Count(), 1, PopulationPlan.DevicesPerRing);
        Assert.Single(registrations.Select(r => r.IpPrefix).Distinct());
        Assert.True(registrations.Max(r => r.At) - registrations.Min(r => r.At) <= TimeSpan.FromHours(1));
        Assert.All(members.Select(Plan.Script), script =>
        {
            var chats = script.Sends.Where(s => ids.Contains(s.Message.Recipient)).ToList();
            var strangers = script.Sends.Count(s => !s.Message.RecipientIsContact);
            Assert.InRange(chats.Count, 8, 14);
            Assert.All(chats, chat => Assert.Contains(chat.IfDelivered, e => e is ReplyReceived reply && reply.From == chat.Message.Recipient));
            Assert.InRange(strangers, 4, 8);
        });
    }

    [Fact]
    public void A_campaign_spreads_a_few_fingerprints_over_fresh_accounts_each_on_its_own_device_and_sending_a_handful()
    {
        var scripts = Scripts(AccountKind.Campaign).ToList();
        var registrations = scripts.Select(s => s.Events.OfType<AccountRegistered>().Single()).ToList();

        Assert.Equal(20, scripts.Count);
        Assert.All(registrations, r => Assert.True(r.At >= PopulationSettings.DefaultStart, "registered during the run"));
        Assert.Equal(scripts.Count, registrations.Select(r => r.DeviceId).Distinct().Count());
        Assert.InRange(scripts.SelectMany(s => s.Sends).Select(s => s.Message.Fingerprint).Distinct().Count(), 1, 3);
        Assert.All(scripts, script =>
        {
            Assert.InRange(script.Sends.Count, 8, 9);
            Assert.All(script.Sends, s => Assert.False(s.Message.RecipientIsContact));
        });
    }

    [Fact]
    public void A_support_team_of_old_accounts_shares_two_shift_devices_and_one_prefix_and_answers_customers_who_wrote_first()
    {
        var agents = Scripts(AccountKind.SupportTeam).ToList();
        var sessions = agents.SelectMany(s => s.Events.OfType<SessionStarted>()).ToList();
        var devices = sessions.Select(e => e.DeviceId).ToHashSet();
        var office = Assert.Single(sessions.Select(e => e.IpPrefix).Distinct());
        var registrations = agents.Select(s => s.Events.OfType<AccountRegistered>().Single()).ToList();

        Assert.Equal(PopulationPlan.TeamSize, agents.Count);
        Assert.Equal(PopulationPlan.DevicesPerTeam, devices.Count);
        Assert.All(registrations, r => Assert.True(r.At <= Start - TimeSpan.FromDays(14), "registered weeks to years ago"));
        Assert.All(registrations.Where(r => devices.Contains(r.DeviceId)), r => Assert.Equal(office, r.IpPrefix));
        Assert.Contains(registrations, r => devices.Contains(r.DeviceId));
        Assert.Contains(registrations, r => !devices.Contains(r.DeviceId));
        Assert.All(agents, agent =>
        {
            Assert.NotEmpty(agent.Events.OfType<SessionStarted>());
            Assert.All(agent.Events.OfType<SessionStarted>(), e => Assert.InRange(e.At.Hour, 8, 19));

            // A customer is a non-contact whose message arrived before the agent's first answer.
            var wroteFirst = agent.Events.OfType<ReplyReceived>().ToDictionary(e => e.From, e => e.At);
            var answers = agent.Sends.Where(s => wroteFirst.ContainsKey(s.Message.Recipient)).ToList();
            Assert.InRange(answers.Select(s => s.Message.Recipient).Distinct().Count(), 20, 60);
            Assert.All(answers, s => Assert.True(!s.Message.RecipientIsContact && wroteFirst[s.Message.Recipient] < s.At));
            Assert.Contains(agent.Sends, s => s.Message.RecipientIsContact);
            Assert.Null(agent.Onset);
        });

        var customerAnswers = agents.SelectMany(a => a.Sends.Where(s => !s.Message.RecipientIsContact && a.Events.OfType<ReplyReceived>().Any(e => e.From == s.Message.Recipient))).ToList();
        Assert.InRange(customerAnswers.Count(s => s.IfDelivered.Any(r => r is ReplyReceived)) / (double)customerAnswers.Count, 0.65, 0.95);
    }

    [Fact]
    public void Automation_sends_like_clockwork_without_typing()
    {
        foreach (var script in Scripts(AccountKind.Automation))
        {
            var gaps = script.Sends.Zip(script.Sends.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).ToArray();
            var mean = gaps.Average();
            var deviation = Math.Sqrt(gaps.Average(g => (g - mean) * (g - mean)));
            Assert.InRange(mean, 15, 40);
            Assert.True(deviation / mean < 0.05, $"variation {deviation / mean:0.000}");
            Assert.All(script.Sends, s => Assert.False(s.Message.Typed));
        }
    }

    private static string Render(AccountScript script) => string.Join(
        "\n",
        script.Events.Select(e => e.ToString()).Concat(script.Sends.Select(s => $"{s.At:O} {s.Message} {string.Join(",", s.IfDelivered)}")));
}
