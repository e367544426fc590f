using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests.Scenarios;

/// <summary>
/// The abuse and honest-use scenarios of the foundation issue, played on simulated event time through
/// the grain interfaces of a two-silo in-memory cluster with the default policy. Outcomes are read from
/// decisions at event time: the account view answers for the present, long after these simulated days.
/// </summary>
public sealed class ScenarioTests(ReputationGridClusterFixture fixture) : IClassFixture<ReputationGridClusterFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private AccountDriver Account(string id) => new(fixture.Client, id);

    [Fact]
    public async Task New_account_burst_is_throttled_within_20_and_banned_by_the_100th()
    {
        var account = Account("burst-1");
        await account.RegisterAsync(T0);
        var actions = new List<EnforcementAction>();
        for (var i = 0; i < 100; i++)
        {
            var decision = await account.SendAsync(T0.AddMinutes(5).AddMilliseconds(150 * i), $"stranger-{i}", contact: false);
            actions.Add(decision.Action);
        }

        var firstAction = actions.FindIndex(a => a != EnforcementAction.Allow);
        Assert.InRange(firstAction, 0, 19);
        Assert.Equal(EnforcementAction.Ban, actions[^1]);
        var view = await account.ViewAsync();
        Assert.Equal(EnforcementAction.Ban, view.Action);
        Assert.Contains(ReasonCode.NewAccountBurst, view.Reasons);
    }

    [Fact]
    public async Task Creating_30_groups_in_10_minutes_is_suspended_or_banned()
    {
        var account = Account("groups-1");
        await account.RegisterAsync(T0.AddDays(-10));
        for (var i = 0; i < 30; i++)
        {
            await account.RecordAsync(new GroupCreated(T0.AddSeconds(20 * i), $"group-{i}"));
        }

        var decision = await account.SendAsync(T0.AddMinutes(10), "someone", contact: true);
        Assert.True(decision.Action >= EnforcementAction.Suspend, $"got {decision.Action}");
        Assert.Contains(ReasonCode.GroupCreation, decision.Reasons);
    }

    [Fact]
    public async Task Adding_1000_non_contacts_to_groups_in_an_hour_is_suspended_or_banned()
    {
        var account = Account("groups-2");
        await account.RegisterAsync(T0.AddDays(-10));
        await account.RecordAsync(new GroupCreated(T0, "big-group"));
        for (var i = 0; i < 10; i++)
        {
            await account.RecordAsync(new GroupMembersAdded(T0.AddMinutes(5 * i), "big-group", 100, 100));
        }

        var decision = await account.SendAsync(T0.AddMinutes(50), "someone", contact: true);
        Assert.True(decision.Action >= EnforcementAction.Suspend, $"got {decision.Action}");
        Assert.Contains(ReasonCode.NonContactGroupAdds, decision.Reasons);
    }

    [Fact]
    public async Task Slow_drip_to_strangers_is_challenged_within_3_hours()
    {
        var account = Account("drip-1");
        await account.RegisterAsync(T0.AddDays(-30));
        int? challengedAt = null;
        for (var minute = 0; minute < 12 * 60; minute++)
        {
            var decision = await account.SendAsync(T0.AddMinutes(minute), $"new-stranger-{minute}", contact: false);
            if (decision.Action >= EnforcementAction.Challenge)
            {
                challengedAt = minute;
                break;
            }
        }

        Assert.NotNull(challengedAt);
        Assert.InRange(challengedAt.Value, 0, 180);
    }

    [Fact]
    public async Task Ten_reports_and_blocks_from_50_recipients_in_a_day_suspend()
    {
        var account = Account("reported-1");
        await account.RegisterAsync(T0.AddDays(-30));
        var random = new Random(4);
        var at = T0;
        for (var i = 0; i < 50; i++)
        {
            at = at.AddMinutes(random.Next(2, 20));
            await account.RecordAsync(new MessageSent(at, new MessageDetails($"recipient-{i}", RecipientIsContact: random.Next(2) == 0, Typed: true)));
        }

        for (var i = 0; i < 10; i++)
        {
            at = at.AddMinutes(10);
            await account.RecordAsync(i % 2 == 0 ? new Reported(at, $"recipient-{i * 5}", "spam") : new Blocked(at, $"recipient-{i * 5}"));
        }

        // Nobody it messages answers, so the first report from one of them already suspends it.
        var decision = await account.SendAsync(at.AddMinutes(1), "recipient-1", contact: false);
        Assert.True(decision.Action >= EnforcementAction.Suspend, $"got {decision.Action}");
        Assert.Contains(ReasonCode.ReportedWhileIgnored, decision.Reasons);
    }

    [Fact]
    public async Task An_ordinary_person_is_always_allowed_for_30_days()
    {
        var account = Account("ordinary-1");
        await account.RegisterAsync(T0.AddYears(-3));
        var random = new Random(5);
        var friends = Enumerable.Range(0, 25).Select(i => $"friend-{i}").ToArray();
        var notAllowed = new List<string>();
        for (var day = 0; day < 30; day++)
        {
            var at = T0.AddDays(day).AddHours(7);
            for (var i = 0; i < 80; i++)
            {
                at = at.AddSeconds(random.Next(5, 1300)); // bursts of chat and long pauses over the waking day
                var stranger = random.Next(10) == 0;
                var recipient = stranger ? $"stranger-{day}-{i}" : friends[random.Next(friends.Length)];
                var decision = await account.SendAsync(at, recipient, contact: !stranger, typed: random.Next(20) > 0);
                if (decision.Action != EnforcementAction.Allow)
                {
                    notAllowed.Add($"day {day} message {i}: {decision.Action} {string.Join(",", decision.Reasons)}");
                }

                if (random.Next(2) == 0)
                {
                    await account.RecordAsync(new ReplyReceived(at.AddMinutes(random.Next(1, 30)), recipient));
                }
            }
        }

        Assert.Empty(notAllowed);
    }

    [Fact]
    public async Task A_courier_messaging_40_new_strangers_a_day_who_reply_is_never_worse_than_throttled()
    {
        var account = Account("courier-1");
        await account.RegisterAsync(T0.AddYears(-1));
        var random = new Random(6);
        var worst = EnforcementAction.Allow;
        for (var day = 0; day < 7; day++)
        {
            var at = T0.AddDays(day).AddHours(8);
            for (var i = 0; i < 40; i++)
            {
                at = at.AddMinutes(random.Next(5, 25));
                var customer = $"customer-{day}-{i}";
                var decision = await account.SendAsync(at, customer, contact: false);
                worst = (EnforcementAction)Math.Max((int)worst, (int)decision.Action);
                if (random.Next(10) < 8)
                {
                    await account.RecordAsync(new ReplyReceived(at.AddMinutes(random.Next(2, 40)), customer));
                }
            }
        }

        Assert.True(worst <= EnforcementAction.Throttle, $"worst action was {worst}");
    }

    [Fact]
    public async Task A_throttled_account_recovers_after_a_quiet_period_of_normal_behaviour()
    {
        var account = Account("recovery-1");
        await account.RegisterAsync(T0.AddYears(-1));
        var burst = new List<EnforcementAction>();
        for (var i = 0; i < 15; i++)
        {
            burst.Add((await account.SendAsync(T0.AddMilliseconds(500 * i), $"friend-{i % 5}", contact: true)).Action);
        }

        Assert.Contains(EnforcementAction.Throttle, burst);

        var afterQuiet = new List<EnforcementAction>();
        for (var i = 0; i < 10; i++)
        {
            var at = T0.AddHours(3).AddMinutes(7 * i);
            afterQuiet.Add((await account.SendAsync(at, $"friend-{i % 5}", contact: true)).Action);
            await account.RecordAsync(new ReplyReceived(at.AddMinutes(1), $"friend-{i % 5}"));
        }

        Assert.All(afterQuiet, action => Assert.Equal(EnforcementAction.Allow, action));
        var history = (await account.ViewAsync()).History;
        Assert.Equal([EnforcementAction.Throttle, EnforcementAction.Allow], history.Select(h => h.Action));
    }

    [Fact]
    public async Task A_compromised_account_spreading_one_fingerprint_is_refused_within_its_first_20_and_challenged_as_it_presses_on()
    {
        var account = Account("compromised-1");
        await account.RegisterAsync(T0.AddYears(-2));
        for (var i = 0; i < 40; i++)
        {
            await account.SendAsync(T0.AddMinutes(-600 + 13 * i), $"friend-{i % 12}", contact: true);
            if (i % 4 == 0 && i < 12)
            {
                await account.RecordAsync(new ReplyReceived(T0.AddMinutes(-599 + 13 * i), $"friend-{i % 12}")); // a few friends answer its first messages
            }
        }

        int? refusedAt = null, challengedAt = null;
        for (var i = 0; i < 300 && challengedAt is null; i++)
        {
            var decision = await account.SendAsync(T0.AddSeconds(2 * i), $"victim-{i}", contact: false, fingerprint: "sha256:malware-link");
            refusedAt ??= decision.Action == EnforcementAction.Allow ? null : i;
            if (decision.Action >= EnforcementAction.Challenge)
            {
                challengedAt = i;
                Assert.Equal(ReasonCode.PersistentThrottling, decision.Reasons[0]);
            }
        }

        Assert.InRange(refusedAt!.Value, 0, 19);
        Assert.InRange(challengedAt!.Value, 0, 99);
    }
}
