using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using static ReputationGrid.Scoring.EventTime;

namespace ReputationGrid.Simulator.Population;

/// <summary>
/// The abuse scenarios, shaped after WhatsApp's "Stopping Abuse" (2019): bursts right after registering,
/// group spam, slow drips to strangers, unwanted messages that draw reports and blocks, taken-over
/// accounts, content fan-out, forwarding storms, account farms and scripted senders. Abusers ignore
/// refusals and keep to their plan until they are banned.
/// </summary>
internal static class AbuseBehaviour
{
    public static void Play(SimulatedAccount account, AccountKind kind)
    {
        switch (kind)
        {
            case AccountKind.NewAccountBurst:
                NewAccountBurst(account);
                break;
            case AccountKind.GroupCreation:
                GroupCreation(account);
                break;
            case AccountKind.MassGroupAdds:
                MassGroupAdds(account);
                break;
            case AccountKind.SlowDripToStrangers:
                SlowDrip(account);
                break;
            case AccountKind.NegativeFeedback:
                NegativeFeedback(account);
                break;
            case AccountKind.CompromisedAccount:
                Compromised(account);
                break;
            case AccountKind.FanoutWithFingerprint:
                Fanout(account, withFingerprint: true);
                break;
            case AccountKind.FanoutWithoutFingerprint:
                Fanout(account, withFingerprint: false);
                break;
            case AccountKind.ForwardingStorm:
                ForwardingStorm(account);
                break;
            case AccountKind.AccountFarm:
                AccountFarm(account);
                break;
            case AccountKind.ReplyRing:
                ReplyRing(account);
                break;
            case AccountKind.Campaign:
                Campaign(account);
                break;
            case AccountKind.Automation:
                Automation(account);
                break;
            case AccountKind.ThrottleObeyer:
            case AccountKind.ClickFarm:
                StrangersAllDay(account, 20 * Second, 60 * Second);
                break;
            case AccountKind.ThresholdProber:
                StrangersAllDay(account, Minute, 3 * Minute);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an abuse scenario.");
        }
    }

    private static void NewAccountBurst(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        var registered = Within(r, script, 0, 0.8);
        HonestBehaviour.Register(account, registered, r.Chance(0.5) ? NetworkKind.Voip : NetworkKind.Mobile);
        var at = registered + Math.Max(30 * Second, r.Gap(5 * Minute, 0.8));
        script.OnsetMs = at;
        var perSecond = r.Between(4.0, 15.0);
        var content = r.Chance(0.5) ? account.NewId("f") : null;
        var typed = r.Chance(0.3);
        for (var i = r.Between(100, 400); i > 0; i--)
        {
            script.Send(at, new MessageDetails(account.NewId("s"), false, Fingerprint: content, Typed: typed), Feedback(r, 0.02, 0.03, 0.03));
            at += (long)(1000 / perSecond * r.Between(0.7, 1.3));
        }
    }

    private static void GroupCreation(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        long at;
        if (r.Chance(0.5))
        {
            var registered = Within(r, script, 0, 0.7);
            HonestBehaviour.Register(account, registered);
            at = registered + r.Gap(20 * Minute, 0.6);
        }
        else
        {
            HonestBehaviour.Register(account, -(long)r.Between(Day, 60.0 * Day));
            at = Within(r, script, 0, 0.8);
        }

        script.OnsetMs = at;
        for (var i = r.Between(20, 60); i > 0; i--)
        {
            var group = account.NewId("g");
            var members = r.Between(10, 50);
            var strangers = (int)Math.Round(members * r.Between(0.7, 1.0));
            script.Event(at, t => new GroupCreated(t, group));
            script.Event(at + 2 * Second, t => new GroupMembersAdded(t, group, members, strangers));
            script.Send(at + 5 * Second, new MessageDetails(group, true, group, Typed: false), Feedback(r, 0.05, 0.02, 0.02));
            at += Math.Clamp(r.Gap(20 * Second, 0.5), 5 * Second, Minute);
        }
    }

    private static void MassGroupAdds(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, -(long)r.Between(3.0 * Day, 300.0 * Day));
        var start = Within(r, script, 0, 0.8);
        script.OnsetMs = start;
        var groups = Enumerable.Range(0, r.Between(1, 3)).Select(_ => account.NewId("g")).ToArray();
        foreach (var group in groups)
        {
            script.Event(start, t => new GroupCreated(t, group));
        }

        var target = r.Between(1000, 6000);
        var batches = Math.Max(1, target / 150);
        var interval = r.Between(1.0 * Hour, 2.0 * Hour) / batches;
        var at = start + Second;
        var nextPost = at;
        for (var added = 0; added < target; at += r.Gap(interval, 0.3))
        {
            var group = r.Pick(groups);
            var count = r.Between(50, 256);
            var strangers = (int)Math.Round(count * r.Between(0.85, 1.0));
            script.Event(at, t => new GroupMembersAdded(t, group, count, strangers));
            added += count;
            if (at >= nextPost)
            {
                script.Send(at + Second, new MessageDetails(group, true, group, Typed: false), Feedback(r, 0.05, 0.02, 0.02));
                nextPost = at + r.Gap(10 * Minute, 0.3);
            }
        }
    }

    private static void SlowDrip(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, -(long)r.Between(3.0 * Day, 200.0 * Day));
        var at = Within(r, script, 0, 0.4);
        script.OnsetMs = at;
        var end = at + (long)r.Between(8.0 * Hour, 16.0 * Hour);
        for (; at < end; at += r.Gap(150 * Second, 0.5))
        {
            script.Send(at, new MessageDetails(account.NewId("s"), false, Typed: true), Feedback(r, 0.03, 0.005, 0.005));
        }
    }

    private static void NegativeFeedback(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, -(long)r.Between(Day, 100.0 * Day));
        var at = Within(r, script, 0, 0.6);
        script.OnsetMs = at;
        var messages = r.Between(40, 150);
        var gap = r.Between(2.0 * Hour, 8.0 * Hour) / messages;
        var unwanted = r.Between(0.10, 0.30); // share of recipients who report or block
        for (var i = 0; i < messages; i++, at += r.Gap(gap, 0.6))
        {
            var uploaded = r.Chance(0.7); // a bought list uploaded as contacts
            var recipient = account.NewId(uploaded ? "u" : "s");
            script.Send(at, new MessageDetails(recipient, uploaded, Typed: true), Feedback(r, 0.05, unwanted / 2, unwanted / 2));
        }
    }

    private static void Compromised(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, -(long)r.Between(365.0 * Day, 6 * 365.0 * Day));
        var person = Person.Create(account, HonestBehaviour.OrdinaryMessagesPerDay(r), contacts: r.Between(50, 300));
        var takeover = Within(r, script, 0.2, 0.8);
        HonestBehaviour.Life(account, person, 0, takeover);
        script.OnsetMs = takeover;
        var link = account.NewId("link");
        var at = takeover;
        var messages = r.Between(100, 400);
        for (var i = 0; i < messages; i++, at += r.Gap(2500, 0.5))
        {
            var contact = i < person.Contacts.Length;
            var recipient = contact ? person.Contacts[i] : account.NewId("s");
            script.Send(at, new MessageDetails(recipient, contact, Fingerprint: link, Typed: false), Feedback(r, 0.05, 0.03, 0.03));
        }
    }

    private static void Fanout(SimulatedAccount account, bool withFingerprint)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, -(long)r.Between(Day, 60.0 * Day));
        var at = Within(r, script, 0, 0.7);
        script.OnsetMs = at;
        var recipients = r.Between(80, 400);
        var gap = r.Between(1.0 * Hour, 4.0 * Hour) / recipients;
        var strangerShare = r.Between(0.6, 1.0);
        var content = withFingerprint ? account.NewId("f") : null;
        // Pasted text shows no typing; with a fingerprint (media) half the clients still report typing.
        bool? typed = withFingerprint && r.Chance(0.5);
        for (var i = 0; i < recipients; i++, at += r.Gap(gap, 0.5))
        {
            var stranger = r.Chance(strangerShare);
            script.Send(at, new MessageDetails(account.NewId(stranger ? "s" : "u"), !stranger, Fingerprint: content, Typed: typed), Feedback(r, 0.03, 0.01, 0.01));
        }
    }

    private static void ForwardingStorm(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, HonestBehaviour.LongAgo(r));
        var chats = r.Between(60, 300);
        var person = Person.Create(account, 0, contacts: chats);
        var targets = person.Contacts.Select(c => (Id: c, Group: false)).Concat(person.Groups.Select(g => (Id: g, Group: true))).ToArray();
        var at = Within(r, script, 0, 0.8);
        script.OnsetMs = at;
        var gap = r.Between(45.0 * Minute, 60.0 * Minute) / chats;
        for (var i = 0; i < chats; i++, at += r.Gap(gap, 0.5))
        {
            var (id, group) = targets[i % targets.Length];
            script.Send(at, new MessageDetails(id, true, group ? id : null, IsForward: true, Typed: false), Feedback(r, 0.1, 0.01, 0.01));
        }
    }

    private static void AccountFarm(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        var farm = account.Plan.FarmOf(account.Index);
        // The farm's members register together: its start comes from a stream of the farm's own (negative indexes are no account's).
        var farmStart = Within(Draw.ForAccount(account.Plan.Settings.Seed, -1 - farm), script, 0, 0.7);
        var registered = farmStart + (long)r.Between(0, 1.0 * Hour);
        var prefix = account.Plan.Settings.AccountPrefix;
        HonestBehaviour.Register(account, registered, NetworkKind.Voip, $"{prefix}-farm{farm}-device", $"198.51.{farm % 256}.0/24");
        var at = registered + r.Gap(30 * Minute, 0.8);
        script.OnsetMs = at;
        for (var i = r.Between(3, 15); i > 0; i--, at += r.Gap(6 * Minute, 0.7))
        {
            script.Send(at, new MessageDetails(account.NewId("s"), false, Typed: true), Feedback(r, 0.05, 0.01, 0.01));
        }
    }

    /// <summary>
    /// A ring member: registered with its ring on one of the ring's devices and its prefix, it saves the others as
    /// contacts and chats with them, each message answered by the partner within minutes, between messages to a few
    /// strangers. The replies make it look conversational: judged alone, it stays under every threshold.
    /// </summary>
    private static void ReplyRing(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        var plan = account.Plan;
        var ring = plan.GroupOf(account.Index, PopulationPlan.RingSize);
        // The ring's members register together: its start comes from a stream of the ring's own (negative indexes are no account's).
        var ringStart = Within(Draw.ForAccount(plan.Settings.Seed, -10_000 - ring), script, 0, 0.7);
        var registered = ringStart + (long)r.Between(0, 1.0 * Hour);
        var prefix = plan.Settings.AccountPrefix;
        var device = $"{prefix}-ring{ring}-device{r.Next(PopulationPlan.DevicesPerRing)}";
        HonestBehaviour.Register(account, registered, NetworkKind.Mobile, device, $"198.18.{ring % 256}.0/24");
        var partners = plan.OthersInGroup(account.Index, PopulationPlan.RingSize);
        foreach (var partner in partners)
        {
            script.Event(registered + Minute, at => new ContactAdded(at, partner));
        }

        var at = registered + r.Gap(20 * Minute, 0.6);
        script.OnsetMs = at;
        var chats = partners.Length == 0 ? 0 : r.Between(8, 14);
        var strangers = r.Between(4, 8);
        var ahead = 0; // chats sent beyond strangers: a stranger only ever follows a chat, so chats always outnumber strangers
        while (chats + strangers > 0)
        {
            if (strangers == 0 || (chats > 0 && (ahead == 0 || r.Chance(0.5))))
            {
                ahead++;
                var partner = r.Pick(partners);
                script.Send(at, new MessageDetails(partner, true, Typed: true), new Reaction((long)r.Between(1.0 * Minute, 4.0 * Minute), ReactionKind.Reply));
                chats--;
            }
            else
            {
                script.Send(at, new MessageDetails(account.NewId("s"), false, Typed: true), Feedback(r, 0.05, 0.01, 0.01));
                strangers--;
                ahead--;
            }

            at += r.Gap(5 * Minute, 0.6);
        }
    }

    /// <summary>
    /// One fresh account of a campaign: registered during the campaign on a device and network of its own, it sends the
    /// campaign's few fingerprints to a handful of strangers within minutes, too few for any per-account threshold.
    /// </summary>
    private static void Campaign(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        var plan = account.Plan;
        var campaign = plan.GroupOf(account.Index, PopulationPlan.CampaignSize);
        var shared = Draw.ForAccount(plan.Settings.Seed, -20_000 - campaign); // the campaign's own stream: its start and its fingerprints
        var campaignStart = Within(shared, script, 0, 0.6);
        var fingerprints = shared.Between(1, 3);
        var registered = campaignStart + (long)r.Between(0, 3.0 * Hour);
        HonestBehaviour.Register(account, registered, NetworkKind.Mobile);
        var at = registered + r.Gap(10 * Minute, 0.6);
        script.OnsetMs = at;
        var typed = r.Chance(0.5);
        var first = r.Next(fingerprints);
        // Fewer than the sends any share is judged on; the account rotates through the campaign's fingerprints.
        for (var i = r.Between(8, 9); i > 0; i--, at += r.Gap(90 * Second, 0.5))
        {
            var content = $"{plan.Settings.AccountPrefix}-campaign{campaign}-f{(first + i) % fingerprints}";
            script.Send(at, new MessageDetails(account.NewId("s"), false, Fingerprint: content, Typed: typed), Feedback(r, 0.03, 0.01, 0.01));
        }
    }

    private static void Automation(SimulatedAccount account)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, -(long)r.Between(2.0 * Day, 400.0 * Day));
        var contacts = account.Contacts(r.Between(50, 300));
        var start = Within(r, script, 0, 0.6);
        script.OnsetMs = start;
        var period = r.Between(15.0 * Second, 40.0 * Second);
        var count = (int)(r.Between(3.0 * Hour, 10.0 * Hour) / period);
        for (var i = 0; i < count; i++)
        {
            var at = start + (long)(i * period + r.Between(-0.01, 0.01) * period);
            script.Send(at, new MessageDetails(contacts[i % contacts.Length], true, Typed: false), Feedback(r, 0.1, 0.005, 0.005));
        }
    }

    /// <summary>
    /// The plan of an adaptive abuser: a young account messaging a new stranger at a steady, human-looking pace until the
    /// run ends. How it reacts to refusals, which is what makes it adaptive, is played by the runner.
    /// </summary>
    private static void StrangersAllDay(SimulatedAccount account, long minGap, long maxGap)
    {
        var (r, script) = (account.Random, account.Script);
        HonestBehaviour.Register(account, -(long)r.Between(2.0 * Day, 14.0 * Day));
        var at = Within(r, script, 0, 0.2);
        script.OnsetMs = at;
        var gap = r.Between((double)minGap, maxGap);
        for (; at < script.EndMs; at += r.Gap(gap, 0.4))
        {
            script.Send(at, new MessageDetails(account.NewId("s"), false, Typed: true), Feedback(r, 0.03, 0.005, 0.005));
        }
    }

    /// <summary>A time between the given fractions of the run.</summary>
    private static long Within(Random r, ScriptBuilder script, double from, double to) =>
        (long)r.Between(from * script.EndMs, to * script.EndMs);

    /// <summary>How a recipient answers an abusive message: rarely a reply, sometimes a report or a block.</summary>
    private static Reaction[] Feedback(Random r, double reply, double report, double block)
    {
        var roll = r.NextDouble();
        var delay = r.Gap(10 * Minute, 0.8);
        return roll < reply ? [new Reaction(delay, ReactionKind.Reply)]
            : roll < reply + report ? [new Reaction(delay, ReactionKind.Report)]
            : roll < reply + report + block ? [new Reaction(delay, ReactionKind.Block)]
            : [];
    }
}
