using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using static ReputationGrid.Scoring.EventTime;

namespace ReputationGrid.Simulator.Population;

/// <summary>
/// The honest population: ordinary people living a day of messaging, and the honest people simple rules
/// would wrongly punish. Shapes are plausible rather than fitted to data: most messages go to a few close
/// contacts in short bursts of chat while awake, about half draw a reply, a few go to groups or strangers,
/// some are forwards of popular content, and activity per person is heavy-tailed (log-normal).
/// </summary>
internal static class HonestBehaviour
{
    public static void Play(SimulatedAccount account, AccountKind kind)
    {
        var r = account.Random;
        var script = account.Script;
        switch (kind)
        {
            case AccountKind.Honest:
                Register(account, LongAgo(r));
                Life(account, Person.Create(account, OrdinaryMessagesPerDay(r)), 0, script.EndMs);
                break;
            case AccountKind.Courier:
                Register(account, LongAgo(r));
                Life(account, Person.Create(account, r.LogNormal(12, 0.7)), 0, script.EndMs);
                ForEachDay(script, day => Deliveries(account, day));
                break;
            case AccountKind.Teacher:
            {
                Register(account, LongAgo(r));
                var person = Person.Create(account, r.LogNormal(20, 0.8), minimumGroups: 1);
                Life(account, person, 0, script.EndMs);
                ForEachDay(script, day => Teaching(account, person, day));
                break;
            }

            case AccountKind.Organiser:
            {
                Register(account, LongAgo(r));
                var person = Person.Create(account, r.LogNormal(25, 0.8));
                Life(account, person, 0, script.EndMs);
                ForEachDay(script, day => Organising(account, person, day));
                break;
            }

            case AccountKind.NewAccountManyContacts:
                NewAccount(account);
                break;
            case AccountKind.FalselyReported:
            {
                Register(account, LongAgo(r));
                Life(account, Person.Create(account, OrdinaryMessagesPerDay(r)), 0, script.EndMs);
                var brigade = (long)r.Between(0, Math.Max(0, script.EndMs - Hour));
                for (var i = r.Between(8, 25); i > 0; i--)
                {
                    var reporter = account.NewId("b");
                    script.Event(brigade + (long)r.Between(0, 30.0 * Minute), at => new Reported(at, reporter, "spam"));
                }

                break;
            }

            case AccountKind.SharedDevice:
                // A family of four on one tablet, one of whom joined today.
                Linked(account, $"{account.Plan.Settings.AccountPrefix}-family{account.Plan.GroupOf(account.Index, PopulationPlan.FamilySize)}-tablet", null, 0.25);
                break;
            case AccountKind.OfficeNetwork:
                // An office of 25 behind one NAT, a fifth of them new employees registering today.
                Linked(account, null, $"172.16.{account.Plan.GroupOf(account.Index, PopulationPlan.OfficeSize) % 256}.0/24", 0.2);
                break;
            case AccountKind.CarrierNetwork:
                // A mobile carrier's CGNAT: hundreds of subscribers on one prefix, a tenth of them new today.
                Linked(account, null, $"100.64.{account.Plan.GroupOf(account.Index, PopulationPlan.CarrierSize) % 256}.0/24", 0.1);
                break;
            case AccountKind.SupportTeam:
                SupportAgent(account);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an honest kind.");
        }
    }

    /// <summary>An ordinary person, or (with chance <paramref name="newToday"/>) a new account greeting its contacts, on a shared device or network.</summary>
    private static void Linked(SimulatedAccount account, string? deviceId, string? ipPrefix, double newToday)
    {
        var r = account.Random;
        if (r.Chance(newToday))
        {
            NewAccount(account, deviceId, ipPrefix);
            return;
        }

        Register(account, LongAgo(r), deviceId: deviceId, ipPrefix: ipPrefix);
        Life(account, Person.Create(account, OrdinaryMessagesPerDay(r)), 0, account.Script.EndMs);
    }

    /// <summary>
    /// An agent of a business's customer-service team: registered long ago, either on the team's device of its shift or on
    /// its own phone, it starts a session on its shift's device (a quarter also cover the other shift) at the office each
    /// working day and answers 20 to 60 customers who are not its contacts. Each customer wrote first (their message is
    /// recorded as a reply just before the answer, the only inbound message the events carry) and most write back.
    /// </summary>
    private static void SupportAgent(SimulatedAccount account)
    {
        var (r, script, plan) = (account.Random, account.Script, account.Plan);
        var team = plan.GroupOf(account.Index, PopulationPlan.TeamSize);
        var devices = Enumerable.Range(0, PopulationPlan.DevicesPerTeam).Select(shift => $"{plan.Settings.AccountPrefix}-support{team}-shift{shift}").ToArray();
        var office = $"192.0.{team % 256}.0/24";
        var shift = r.Next(PopulationPlan.DevicesPerTeam);
        var coversOtherShift = r.Chance(0.25);
        if (r.Chance(0.5))
        {
            Register(account, LongAgo(r), NetworkKind.Mobile, devices[shift], office);
        }
        else
        {
            Register(account, LongAgo(r));
        }

        Life(account, Person.Create(account, OrdinaryMessagesPerDay(r)), 0, script.EndMs);
        var answered = r.Between(0.7, 0.9);
        var worked = coversOtherShift ? devices : [devices[shift]];
        var firstShift = coversOtherShift ? 0 : shift;
        ForEachDay(script, day => SupportDay(account, worked, office, day + (long)((FirstShiftHour + firstShift * ShiftHours) * Hour), answered));
    }

    /// <summary>A support team's shifts follow one another from the morning, one device each.</summary>
    private const double FirstShiftHour = 8, ShiftHours = 6;

    /// <summary>
    /// A working day of consecutive shifts from <paramref name="start"/>: a session on each shift's device at the office,
    /// then 20 to 60 customers over the hours worked, each of whom wrote first.
    /// </summary>
    private static void SupportDay(SimulatedAccount account, string[] shiftDevices, string office, long start, double answered)
    {
        var (r, script) = (account.Random, account.Script);
        for (var i = 0; i < shiftDevices.Length; i++)
        {
            var device = shiftDevices[i];
            script.Event(start + (long)(i * ShiftHours * Hour), at => new SessionStarted(at, device, office));
        }

        for (var i = r.Between(20, 60); i > 0; i--)
        {
            var at = start + (long)r.Between(5.0 * Minute, shiftDevices.Length * ShiftHours * Hour);
            var customer = account.NewId("c");
            script.Event(at - r.Gap(2 * Minute, 0.6), t => new ReplyReceived(t, customer));
            script.Send(at, new MessageDetails(customer, false, Typed: true), Reply(r, answered, 3 * Minute));
            if (r.Chance(0.5))
            {
                script.Send(at + r.Gap(4 * Minute, 0.5), new MessageDetails(customer, false, Typed: true), Reply(r, answered, 3 * Minute));
            }
        }
    }

    /// <summary>How much an ordinary person writes a day: heavy-tailed, median 25, capped at 1,500.</summary>
    public static double OrdinaryMessagesPerDay(Random r) => Math.Min(1500, r.LogNormal(25, 1.1));

    /// <summary>A registration between 30 days and 6 years before the run: most accounts are old.</summary>
    public static long LongAgo(Random r) => -(long)Math.Exp(r.Between(Math.Log(30.0 * Day), Math.Log(6 * 365.0 * Day)));

    public static void Register(
        SimulatedAccount account, long ms, NetworkKind? network = null, string? deviceId = null, string? ipPrefix = null, bool business = false)
    {
        var r = account.Random;
        var kind = network ?? r.NextDouble() switch
        {
            < 0.93 => NetworkKind.Mobile,
            < 0.97 => NetworkKind.Voip,
            < 0.98 => NetworkKind.Landline,
            _ => NetworkKind.Unknown,
        };
        var country = r.Pick(Countries);
        var device = deviceId ?? $"{account.Id}-device";
        var prefix = ipPrefix ?? $"100.{r.Next(64, 128)}.{r.Next(256)}.0/24";
        account.Script.Event(ms, at => new AccountRegistered(at, kind, country, prefix, device, business));
    }

    /// <summary>
    /// A person's messaging between <paramref name="fromMs"/> and <paramref name="toMs"/>: sessions of chat
    /// scattered over the waking hours of each day, plus the odd new contact, new group or block.
    /// </summary>
    public static void Life(SimulatedAccount account, Person person, long fromMs, long toMs)
    {
        var r = account.Random;
        for (var day = Math.Max(0, fromMs / Day); day * Day < toMs; day++)
        {
            var wake = day * Day + (long)(person.WakeHour * Hour);
            var sleep = day * Day + (long)(person.SleepHour * Hour);
            var from = Math.Max(wake, fromMs);
            var to = Math.Min(sleep, toMs);
            if (to <= from)
            {
                continue;
            }

            var awake = (double)(to - from) / (sleep - wake);
            var budget = (int)Math.Round(person.MessagesPerDay * awake * r.Between(0.8, 1.2));
            while (budget > 0)
            {
                budget -= Session(account, person, (long)r.Between(from, to), budget);
            }

            if (r.Chance(0.3 * awake))
            {
                for (var i = r.Between(1, 3); i > 0; i--)
                {
                    var contact = account.NewId("k");
                    account.Script.Event((long)r.Between(from, to), at => new ContactAdded(at, contact));
                }
            }

            if (r.Chance(0.03 * awake))
            {
                var group = account.NewId("g");
                var at = (long)r.Between(from, to);
                var members = r.Between(3, 25);
                var strangers = r.Between(0, 2);
                account.Script.Event(at, t => new GroupCreated(t, group));
                account.Script.Event(at + r.Gap(20 * Second, 0.5), t => new GroupMembersAdded(t, group, members, strangers));
            }

            if (r.Chance(0.005 * awake) && person.Contacts.Length > 0)
            {
                var blocker = r.Pick(person.Contacts);
                account.Script.Event((long)r.Between(from, to), at => new Blocked(at, blocker));
            }
        }
    }

    /// <summary>One burst of activity; returns how many messages it used.</summary>
    private static int Session(SimulatedAccount account, Person person, long start, int budget)
    {
        var r = account.Random;
        var size = Math.Min(budget, 1 + (int)r.LogNormal(1.5, 1.0));
        var roll = r.NextDouble();
        if (roll < 0.06)
        {
            return Forward(account, person, start, Math.Min(size, r.Between(1, 6)));
        }

        if (roll < 0.09)
        {
            Chat(account, person, account.NewId("s"), contact: false, group: false, start, Math.Min(size, 3), replyChance: 0.6);
            return Math.Min(size, 3);
        }

        if (roll < 0.30 && person.Groups.Length > 0)
        {
            Chat(account, person, r.Pick(person.Groups), contact: true, group: true, start, size, replyChance: 0.5);
            return size;
        }

        Chat(account, person, person.Contacts[r.Favourite(person.Contacts.Length)], contact: true, group: false, start, size, replyChance: 0.45);
        return size;
    }

    private static void Chat(SimulatedAccount account, Person person, string recipient, bool contact, bool group, long at, int messages, double replyChance)
    {
        var r = account.Random;
        for (var i = 0; i < messages; i++)
        {
            account.Script.Send(at, new MessageDetails(recipient, contact, group ? recipient : null, Typed: person.Typed(r)), Reply(r, replyChance, 90 * Second));
            at += Math.Max(Second, r.Gap(person.ChatGapMs, 1.0));
        }
    }

    /// <summary>Forwards one popular piece of content to a few chats.</summary>
    private static int Forward(SimulatedAccount account, Person person, long at, int chats)
    {
        var r = account.Random;
        var content = $"meme-{r.Next(400)}";
        for (var i = 0; i < chats; i++)
        {
            var toGroup = person.Groups.Length > 0 && r.Chance(0.3);
            var recipient = toGroup ? r.Pick(person.Groups) : r.Pick(person.Contacts);
            account.Script.Send(
                at,
                new MessageDetails(recipient, true, toGroup ? recipient : null, IsForward: true, Fingerprint: content, Typed: person.ReportsTyping ? false : null),
                Reply(r, 0.3, 5 * Minute));
            at += r.Gap(6 * Second, 0.8);
        }

        return chats;
    }

    private static void Deliveries(SimulatedAccount account, long day)
    {
        var r = account.Random;
        for (var i = r.Between(30, 80); i > 0; i--)
        {
            var at = day + (long)r.Between(8.0 * Hour, 18.0 * Hour);
            var customer = account.NewId("c");
            account.Script.Send(at, new MessageDetails(customer, false, Typed: true), Reply(r, 0.8, 3 * Minute));
            if (r.Chance(0.5))
            {
                account.Script.Send(at + r.Gap(2 * Minute, 0.5), new MessageDetails(customer, false, Typed: true), Reply(r, 0.3, 3 * Minute));
            }
        }
    }

    private static void Teaching(SimulatedAccount account, Person person, long day)
    {
        var r = account.Random;
        var at = day + (long)r.Between(15.0 * Hour, 20.0 * Hour);
        for (var i = r.Between(20, 40); i > 0; i--)
        {
            var saved = r.Chance(0.3);
            var parent = saved ? r.Pick(person.Contacts) : account.NewId("p");
            account.Script.Send(at, new MessageDetails(parent, saved, Typed: person.Typed(r)), Reply(r, 0.65, 10 * Minute));
            at += r.Gap(90 * Second, 0.8);
        }

        for (var i = r.Between(3, 6); i > 0; i--)
        {
            var group = r.Pick(person.Groups);
            account.Script.Send(day + (long)r.Between(7.0 * Hour, 21.0 * Hour), new MessageDetails(group, true, group, Typed: person.Typed(r)), Reply(r, 0.7, 10 * Minute));
        }

        if (r.Chance(0.3))
        {
            var group = account.NewId("g");
            var created = day + (long)r.Between(9.0 * Hour, 17.0 * Hour);
            var members = r.Between(20, 35);
            var parents = (int)(members * r.Between(0.6, 0.9));
            account.Script.Event(created, t => new GroupCreated(t, group));
            account.Script.Event(created + r.Gap(Minute, 0.5), t => new GroupMembersAdded(t, group, members, parents));
        }
    }

    private static void Organising(SimulatedAccount account, Person person, long day)
    {
        var r = account.Random;
        var start = day + (long)r.Between(9.0 * Hour, 19.0 * Hour);
        var flyer = account.NewId("flyer");
        var at = start;
        for (var g = r.Between(1, 4); g > 0; g--)
        {
            var group = account.NewId("g");
            account.Script.Event(at, t => new GroupCreated(t, group));
            for (var batch = r.Between(1, 3); batch > 0; batch--)
            {
                var members = r.Between(20, 60);
                var strangers = (int)(members * r.Between(0.5, 0.9));
                account.Script.Event(at + r.Gap(2 * Minute, 0.5), t => new GroupMembersAdded(t, group, members, strangers));
            }

            account.Script.Send(at + r.Gap(5 * Minute, 0.5), new MessageDetails(group, true, group, Fingerprint: flyer, Typed: false), Reply(r, 0.7, 10 * Minute));
            at += r.Gap(12 * Minute, 0.6);
        }

        at = start;
        for (var i = r.Between(20, 60); i > 0; i--)
        {
            at += r.Gap(4 * Minute, 0.8);
            account.Script.Send(at, new MessageDetails(account.NewId("s"), false, Typed: person.Typed(r)), Reply(r, 0.6, 15 * Minute));
        }

        at = start + r.Gap(30 * Minute, 0.5);
        for (var i = r.Between(3, 9); i > 0; i--)
        {
            at += r.Gap(Minute, 0.8);
            account.Script.Send(at, new MessageDetails(r.Pick(person.Contacts), true, Fingerprint: flyer, Typed: false), Reply(r, 0.5, 10 * Minute));
        }
    }

    private static void NewAccount(SimulatedAccount account, string? deviceId = null, string? ipPrefix = null)
    {
        var r = account.Random;
        var script = account.Script;
        var registered = (long)r.Between(0, Math.Max(0, script.EndMs - 6 * Hour));
        Register(account, registered, r.Chance(0.05) ? NetworkKind.Voip : NetworkKind.Mobile, deviceId, ipPrefix);
        var person = Person.Create(account, r.LogNormal(20, 0.9), contacts: r.Between(50, 300));
        foreach (var contact in person.Contacts)
        {
            script.Event(registered + (long)r.Between(0, 60.0 * Second), at => new ContactAdded(at, contact));
        }

        var greet = registered + (long)r.Between(5.0 * Minute, 30.0 * Minute);
        for (var i = Math.Min(person.Contacts.Length, r.Between(10, 30)) - 1; i >= 0; i--)
        {
            script.Send(greet, new MessageDetails(person.Contacts[i], true, Typed: person.Typed(r)), Reply(r, 0.75, 5 * Minute));
            greet += r.Gap(3 * Minute, 0.7);
        }

        Life(account, person, registered + Hour, script.EndMs);
    }

    /// <summary>Calls <paramref name="play"/> with the start of every day of the run.</summary>
    private static void ForEachDay(ScriptBuilder script, Action<long> play)
    {
        for (var day = 0L; day < script.EndMs; day += Day)
        {
            play(day);
        }
    }

    public static Reaction[] Reply(Random r, double chance, long medianDelayMs) =>
        r.Chance(chance) ? [new Reaction(r.Gap(medianDelayMs, 1.2), ReactionKind.Reply)] : [];

    private static readonly string[] Countries = ["44", "49", "33", "34", "39", "31", "55", "52", "91", "62", "234", "27"];
}

/// <summary>An honest person's habits: contacts, groups, waking hours, how much they write, whether their client reports typing.</summary>
internal sealed class Person
{
    public required string[] Contacts { get; init; }

    public required string[] Groups { get; init; }

    /// <summary>Phones show typing; some desktop and web clients do not report it at all.</summary>
    public required bool ReportsTyping { get; init; }

    public required double WakeHour { get; init; }

    public required double SleepHour { get; init; }

    public required double MessagesPerDay { get; init; }

    /// <summary>Median gap between messages of one chat: some people fire off one-liners every few seconds.</summary>
    public required double ChatGapMs { get; init; }

    public static Person Create(SimulatedAccount account, double messagesPerDay, int? contacts = null, int minimumGroups = 0)
    {
        var r = account.Random;
        return new Person
        {
            Contacts = account.Contacts(contacts ?? Math.Clamp((int)r.LogNormal(60, 0.8), 5, 1000)),
            Groups = [.. Enumerable.Range(0, r.Between(minimumGroups, 8)).Select(_ => account.NewId("g"))],
            ReportsTyping = r.Chance(0.9),
            WakeHour = r.Between(6.0, 9.0),
            SleepHour = r.Between(22.0, 24.5),
            MessagesPerDay = messagesPerDay,
            ChatGapMs = r.LogNormal(15.0 * EventTime.Second, 0.5),
        };
    }

    /// <summary>Typing is shown before most messages; voice notes and media go without.</summary>
    public bool? Typed(Random r) => ReportsTyping ? r.Chance(0.93) : null;
}
