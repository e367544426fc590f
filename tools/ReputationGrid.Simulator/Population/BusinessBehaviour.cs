using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.BusinessAccounts;
using static ReputationGrid.Scoring.EventTime;

namespace ReputationGrid.Simulator.Population;

/// <summary>
/// Business senders, after the platform this is modelled on: honest businesses message people who opted in and answer
/// those who write to them, within their tier's limit; abusive ones blast purchased lists, let their quality collapse,
/// or register many numbers to multiply their limit. Every business-initiated message says so, as a business API does.
/// </summary>
internal static class BusinessBehaviour
{
    public static void Play(SimulatedAccount account, AccountKind kind)
    {
        switch (kind)
        {
            case AccountKind.BusinessShop:
                Shop(account);
                break;
            case AccountKind.BusinessDelivery:
                Delivery(account);
                break;
            case AccountKind.BusinessBrand:
                Brand(account);
                break;
            case AccountKind.BusinessBlaster:
                Blaster(account);
                break;
            case AccountKind.BusinessQualityCollapse:
                QualityCollapse(account);
                break;
            case AccountKind.BusinessManyNumbers:
                ManyNumbers(account);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a business kind.");
        }
    }

    /// <summary>Customers who opted in long before the run, and each day's promotions to some of them, under the tier-1 limit.</summary>
    private static void Shop(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, HonestBehaviour.LongAgo(r), NetworkKind.Mobile, business: true);
        var customers = OptedInBefore(account, r.Between(100, 400), -30 * Day, -Day);
        for (var day = 0L; day * Day < script.EndMs; day++)
        {
            var opening = day * Day + (long)r.Between(8.0 * Hour, 10.0 * Hour);
            var promoted = r.Between(40, Math.Min(200, customers.Length));
            var at = opening;
            foreach (var customer in Sample(r, customers, promoted))
            {
                script.Send(at, Initiated(customer), Wanted(r, reply: 0.1, block: 0.003, optOut: 0.005));
                at += r.Gap(2 * Minute, 0.8);
            }

            WalkIns(account, day * Day + 9 * Hour, day * Day + 19 * Hour, r.Between(5, 20));
        }
    }

    /// <summary>A verified courier company: each order's customer opts in at checkout and gets one or two updates within the day.</summary>
    private static void Delivery(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, HonestBehaviour.LongAgo(r), NetworkKind.Landline, business: true);
        script.Event(-(long)r.Between(5.0 * Day, 200.0 * Day), at => new BusinessVerified(at, VerificationLevel.Basic));
        for (var day = 0L; day * Day < script.EndMs; day++)
        {
            var orders = r.Between(300, 800);
            var from = day * Day + 7 * Hour;
            var span = 12.0 * Hour;
            for (var i = 0; i < orders; i++)
            {
                var customer = account.NewId("c");
                var checkout = from + (long)(span * i / orders) + r.Next(60_000);
                script.Event(checkout, at => new OptedIn(at, customer));
                script.Send(checkout + r.Gap(20 * Minute, 0.5), Initiated(customer), Wanted(r, reply: 0.05, block: 0.002, optOut: 0.001));
                if (r.Chance(0.5))
                {
                    script.Send(checkout + r.Gap(3 * Hour, 0.4), Initiated(customer));
                }
            }

            WalkIns(account, from, from + (long)span, r.Between(10, 40));
        }
    }

    /// <summary>A verified brand's campaign to its subscribers, at the pace of a sending API, beyond what its tier allows in a day.</summary>
    private static void Brand(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, HonestBehaviour.LongAgo(r), NetworkKind.Landline, business: true);
        script.Event(-(long)r.Between(30.0 * Day, 300.0 * Day), at => new BusinessVerified(at, VerificationLevel.Basic));
        var subscribers = OptedInBefore(account, r.Between(1500, 4000), -60 * Day, -Day);
        var at = (long)r.Between(0.1 * script.EndMs, 0.5 * script.EndMs);
        foreach (var subscriber in subscribers)
        {
            script.Send(at, Initiated(subscriber), Wanted(r, reply: 0.03, block: 0.002, optOut: 0.005));
            at += r.Gap(400, 0.5);
        }

        WalkIns(account, 0, script.EndMs, r.Between(10, 30));
    }

    /// <summary>Registers as a business, never verifies, and sends to a purchased list nobody opted in to.</summary>
    private static void Blaster(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, -(long)r.Between(Day, 10.0 * Day), NetworkKind.Mobile, business: true);
        var at = (long)r.Between(0, 0.6 * script.EndMs);
        script.OnsetMs = at;
        for (var i = r.Between(1000, 3000); i > 0; i--)
        {
            script.Send(at, Initiated(account.NewId("p")), Unwanted(r));
            at += r.Gap(1500, 0.6);
        }
    }

    /// <summary>
    /// A verified business that messaged its subscribers well for days, then from the day before the run floods them
    /// with campaigns many no longer want: they opt out and block in numbers, its quality falls to low, and a day at low
    /// quality costs it a tier. Its people did opt in, so it is no bulk sender to strangers: the quality rating is what
    /// must answer it.
    /// </summary>
    private static void QualityCollapse(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, HonestBehaviour.LongAgo(r), NetworkKind.Landline, business: true);
        script.Event(-(long)r.Between(30.0 * Day, 300.0 * Day), at => new BusinessVerified(at, VerificationLevel.Basic));
        var subscribers = OptedInBefore(account, r.Between(2000, 3000), -60 * Day, -5 * Day);
        var collapse = -(long)r.Between(28.0 * Hour, 32.0 * Hour);
        for (var day = collapse / Day - 3; day * Day < collapse; day++)
        {
            var at = day * Day + 10 * Hour;
            foreach (var subscriber in Sample(r, subscribers, r.Between(80, 140)))
            {
                Delivered(script, at, Initiated(subscriber), Wanted(r, reply: 0.05, block: 0.003, optOut: 0.005));
                at += r.Gap(Minute, 0.5);
            }
        }

        script.OnsetMs = collapse;
        for (var at = collapse; at < script.EndMs; at += r.Gap(8 * Hour, 0.2))
        {
            var sent = at;
            foreach (var subscriber in Sample(r, subscribers, r.Between(250, 400)))
            {
                Delivered(script, sent, Initiated(subscriber), Wanted(r, reply: 0.01, block: 0.02, optOut: 0.15));
                sent += r.Gap(20 * Second, 0.5);
            }
        }
    }

    /// <summary>One of ten numbers a business registers together on one device and network to send ten times its limit.</summary>
    private static void ManyNumbers(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        var business = account.Plan.BusinessOf(account.Index);
        // The numbers register together: their start comes from a stream of the business's own (negative indexes are no account's).
        var start = (long)Draw.ForAccount(account.Plan.Settings.Seed, -100_000 - business).Between(0, 0.6 * script.EndMs);
        var registered = start + (long)r.Between(0, 30.0 * Minute);
        var prefix = account.Plan.Settings.AccountPrefix;
        HonestBehaviour.Register(account, registered, NetworkKind.Mobile, $"{prefix}-business{business}-device", $"203.0.{business % 256}.0/24", business: true);
        var at = registered + r.Gap(15 * Minute, 0.5);
        script.OnsetMs = at;
        for (var i = r.Between(200, 250); i > 0; i--)
        {
            script.Send(at, Initiated(account.NewId("p")), Unwanted(r));
            at += r.Gap(3 * Second, 0.6);
        }
    }

    /// <summary>
    /// A message: checked at send time from the start of the run, and before it delivered as the platform recorded it
    /// then, with its recipient's reaction.
    /// </summary>
    private static void Delivered(ScriptBuilder script, long ms, MessageDetails message, Reaction[] reactions)
    {
        if (ms >= 0)
        {
            script.Send(ms, message, reactions);
            return;
        }

        script.Event(ms, at => new MessageSent(at, message));
        foreach (var reaction in reactions)
        {
            script.Event(ms + reaction.DelayMs, at => reaction.Create(at, message.Recipient));
        }
    }

    private static MessageDetails Initiated(string person) =>
        new(person, RecipientIsContact: false, Typed: false, Conversation: ConversationKind.BusinessInitiated);

    /// <summary>People who opted in between the two times, as events; returns their ids.</summary>
    private static string[] OptedInBefore(SimulatedAccount account, int count, long fromMs, long toMs)
    {
        var people = new string[count];
        for (var i = 0; i < count; i++)
        {
            var person = people[i] = account.NewId("c");
            account.Script.Event((long)account.Random.Between(fromMs, toMs), at => new OptedIn(at, person));
        }

        return people;
    }

    /// <summary>Customers who write to the business first, each answered within minutes inside the service window.</summary>
    private static void WalkIns(SimulatedAccount account, long fromMs, long toMs, int count)
    {
        var (r, script) = (account.Random, account.Script);
        for (var i = 0; i < count; i++)
        {
            var customer = account.NewId("w");
            var wrote = (long)r.Between(fromMs, toMs);
            script.Event(wrote, at => new ReplyReceived(at, customer));
            var answer = new MessageDetails(customer, RecipientIsContact: false, Typed: true, Conversation: ConversationKind.Service);
            var at = wrote + r.Gap(4 * Minute, 0.6);
            for (var answers = r.Between(1, 3); answers > 0; answers--, at += r.Gap(2 * Minute, 0.5))
            {
                script.Send(at, answer);
            }
        }
    }

    private static IEnumerable<string> Sample(Random r, string[] people, int count)
    {
        var chosen = (string[])people.Clone();
        r.Shuffle(chosen);
        return chosen.Take(count);
    }

    /// <summary>How an opted-in person answers: now and then a reply, rarely a block or an opt-out.</summary>
    private static Reaction[] Wanted(Random r, double reply, double block, double optOut)
    {
        var roll = r.NextDouble();
        var delay = r.Gap(30 * Minute, 0.8);
        return roll < reply ? [new Reaction(delay, ReactionKind.Reply)]
            : roll < reply + block ? [new Reaction(delay, ReactionKind.Block)]
            : roll < reply + block + optOut ? [new Reaction(delay, ReactionKind.OptOut)]
            : [];
    }

    /// <summary>How someone on a purchased list answers: many block or report, a few reply.</summary>
    private static Reaction[] Unwanted(Random r)
    {
        var roll = r.NextDouble();
        var delay = r.Gap(10 * Minute, 0.8);
        return roll < 0.01 ? [new Reaction(delay, ReactionKind.Reply)]
            : roll < 0.05 ? [new Reaction(delay, ReactionKind.Report)]
            : roll < 0.12 ? [new Reaction(delay, ReactionKind.Block)]
            : [];
    }
}
