namespace ReputationGrid.Simulator.Population;

/// <summary>The label of a simulated account: one honest kind or one abuse scenario.</summary>
public enum AccountKind
{
    Honest,
    Courier,
    Teacher,
    Organiser,
    NewAccountManyContacts,
    FalselyReported,
    SharedDevice,
    OfficeNetwork,
    CarrierNetwork,
    NewAccountBurst,
    GroupCreation,
    MassGroupAdds,
    SlowDripToStrangers,
    NegativeFeedback,
    CompromisedAccount,
    FanoutWithFingerprint,
    FanoutWithoutFingerprint,
    ForwardingStorm,
    AccountFarm,
    ReplyRing,
    Campaign,
    Automation,
    ThrottleObeyer,
    ThresholdProber,
    ClickFarm,
    BusinessShop,
    BusinessDelivery,
    BusinessBrand,
    BusinessBlaster,
    BusinessQualityCollapse,
    BusinessManyNumbers,
    SupportTeam,
}

/// <summary>How an account reacts to the decisions it gets, beyond not delivering a refused message.</summary>
public enum Adaptation
{
    /// <summary>Keeps to its plan whatever it is told; an honest person passes any challenge.</summary>
    None,

    /// <summary>Waits out every throttle and suspension, then retries the refused message and goes on.</summary>
    ObeysThrottles,

    /// <summary>Drops a refused message, pauses and slows down, so as to stay under the limits it infers.</summary>
    BacksOff,

    /// <summary>A person in a click farm: passes every challenge and otherwise ignores refusals.</summary>
    PassesChallenges,
}

/// <param name="Label">The stable name in the scorecard.</param>
/// <param name="Honest">Part of the honest population (any action on it is a false positive).</param>
/// <param name="RecallTarget">A bulk or farm scenario that must be caught (recall target).</param>
/// <param name="Share">Share of the population, for every kind but the ordinary honest person (who makes up the rest).</param>
public sealed record KindInfo(AccountKind Kind, string Label, bool Honest, bool RecallTarget, double Share, string Description)
{
    /// <summary>How the account reacts to decisions; adaptive abusers are the ones that do.</summary>
    public Adaptation Adapts { get; init; }

    /// <summary>Abuse kept up for hours, which must end in a suspension or ban: the escalation targets apply to it.</summary>
    public bool Sustained { get; init; }

    /// <summary>
    /// Taken from the ordinary people after the population is shuffled, so every other account keeps its kind and index:
    /// the honest look-alikes of a farm, and the linked abuse scenarios added with them. Such kinds take their places in the
    /// order listed, so a new one goes at the end of the list to leave every earlier kind's places as they were.
    /// </summary>
    public bool TakesOrdinaryPlaces { get; init; }

    /// <summary>Many accounts linked through a device and network, each quiet alone: the linked-account targets apply to it.</summary>
    public bool Farm { get; init; }

    /// <summary>For a business account, the tier it starts the run at; null for a person.</summary>
    public int? BusinessTier { get; init; }

    /// <summary>Whether someone at the account answers a challenge, and passes it.</summary>
    public bool PassesChallenges => Honest || Adapts == Adaptation.PassesChallenges;
}

public static class AccountKinds
{
    /// <summary>Every kind, in the order the scorecard lists them.</summary>
    public static IReadOnlyList<KindInfo> All { get; } =
    [
        new(AccountKind.Honest, "honest", true, false, 0,
            "ordinary people: heavy-tailed activity, mostly contacts, replies, groups, forwards, the odd stranger"),
        new(AccountKind.Courier, "honest_courier", true, false, 0.01,
            "30 to 80 new customers a day, most of whom reply"),
        new(AccountKind.Teacher, "honest_teacher", true, false, 0.01,
            "messages 20 to 40 parents in an evening, posts to class groups, sometimes creates one"),
        new(AccountKind.Organiser, "honest_organiser", true, false, 0.01,
            "creates several groups, adds many non-contacts, messages strangers who reply, shares a flyer"),
        new(AccountKind.NewAccountManyContacts, "honest_new_account", true, false, 0.015,
            "registers today, syncs 50 to 300 contacts at once, greets many of them"),
        new(AccountKind.FalselyReported, "honest_falsely_reported", true, false, 0.005,
            "an ordinary person reported by 8 to 25 strangers it never messaged (a brigade)"),
        new(AccountKind.SharedDevice, "honest_shared_device", true, false, 0.004,
            "families of four sharing one tablet, one in four registering on it today")
        { TakesOrdinaryPlaces = true },
        new(AccountKind.OfficeNetwork, "honest_office_nat", true, false, 0.005,
            "offices of 25 behind one network prefix, a fifth of them registering today")
        { TakesOrdinaryPlaces = true },
        new(AccountKind.CarrierNetwork, "honest_carrier_cgnat", true, false, 0.05,
            "a mobile carrier's CGNAT: 500 subscribers per network prefix, a tenth of them registering today")
        { TakesOrdinaryPlaces = true },
        new(AccountKind.NewAccountBurst, "new_account_burst", false, true, 0.01,
            "registers, then minutes later blasts 100 to 400 strangers at 4 to 15 messages a second"),
        new(AccountKind.GroupCreation, "group_creation", false, true, 0.01,
            "creates 20 to 60 groups minutes apart, fills each with strangers and posts to it"),
        new(AccountKind.MassGroupAdds, "mass_group_adds", false, true, 0.01,
            "adds 1,000 to 6,000 mostly non-contacts to a few groups within one to two hours"),
        new(AccountKind.SlowDripToStrangers, "slow_drip_strangers", false, true, 0.01,
            "one new stranger every 1 to 6 minutes for 8 to 16 hours, typed, irregular, almost no replies")
        { Sustained = true },
        new(AccountKind.NegativeFeedback, "negative_feedback", false, true, 0.01,
            "40 to 150 unwanted messages (to uploaded contacts) of which 15% to 30% are reported or blocked")
        { Sustained = true },
        new(AccountKind.CompromisedAccount, "compromised_account", false, true, 0.01,
            "an ordinary account taken over: one link to all its contacts, then strangers, every 1 to 6 seconds"),
        new(AccountKind.FanoutWithFingerprint, "fanout_fingerprint", false, true, 0.01,
            "one piece of content to 80 to 400 people over 1 to 4 hours, with its fingerprint")
        { Sustained = true },
        new(AccountKind.FanoutWithoutFingerprint, "fanout_no_fingerprint", false, true, 0.01,
            "the same fan-out, pasted (no typing), from a client that sends no fingerprint")
        { Sustained = true },
        new(AccountKind.ForwardingStorm, "forwarding_storm", false, true, 0.01,
            "forwards one message to 60 to 300 chats and groups within an hour"),
        new(AccountKind.AccountFarm, "account_farm", false, true, 0.01,
            "farms of 25 VoIP accounts on one device and network prefix, each sending 3 to 15 messages to strangers")
        { Farm = true },
        new(AccountKind.ReplyRing, "reply_ring", false, true, 0.01,
            "rings of 20 accounts registered within an hour on 2 devices and one prefix, answering one another while each messages a few strangers")
        { Farm = true, TakesOrdinaryPlaces = true },
        new(AccountKind.Campaign, "campaign", false, true, 0.01,
            "campaigns of 50 fresh accounts, each on its own device and network, sending the campaign's 1 to 3 fingerprints to 8 or 9 strangers")
        { Farm = true, TakesOrdinaryPlaces = true },
        new(AccountKind.Automation, "automation", false, true, 0.01,
            "a script sending to its contacts every 15 to 40 seconds like clockwork, never typing")
        { Sustained = true },
        new(AccountKind.ThrottleObeyer, "adaptive_throttle_obeyer", false, true, 0.01,
            "messages a stranger every 20 to 60 seconds all day, waits out every throttle and suspension and retries")
        { Adapts = Adaptation.ObeysThrottles, Sustained = true },
        new(AccountKind.ThresholdProber, "adaptive_threshold_prober", false, true, 0.01,
            "messages a stranger every 1 to 3 minutes all day; when refused, drops the message, pauses and slows down")
        { Adapts = Adaptation.BacksOff, Sustained = true },
        new(AccountKind.ClickFarm, "adaptive_click_farm", false, true, 0.01,
            "a person in a click farm messaging a stranger every 20 to 60 seconds all day, passing every challenge")
        { Adapts = Adaptation.PassesChallenges, Sustained = true },
        new(AccountKind.BusinessShop, "honest_business_shop", true, false, 0.004,
            "a shop messaging 40 to 200 opted-in customers a day, answering those who write within the service window")
        { BusinessTier = 1 },
        new(AccountKind.BusinessDelivery, "honest_business_delivery", true, false, 0.004,
            "a verified delivery service: 300 to 800 transactional messages a day to customers who opted in at checkout")
        { BusinessTier = 2 },
        new(AccountKind.BusinessBrand, "honest_business_brand", true, false, 0.002,
            "a verified brand's campaign to 1,500 to 4,000 opted-in subscribers, more than its tier allows in a day")
        { BusinessTier = 2 },
        new(AccountKind.BusinessBlaster, "business_unverified_blaster", false, true, 0.004,
            "an unverified business blasting 1,000 to 3,000 people of a purchased list, many of whom block or report it")
        { BusinessTier = 1 },
        new(AccountKind.BusinessQualityCollapse, "business_quality_collapse", false, false, 0.003,
            "a verified business flooding its opted-in subscribers from the day before the run: opt-outs and blocks collapse its quality")
        { BusinessTier = 2 },
        new(AccountKind.BusinessManyNumbers, "business_many_numbers", false, true, 0.005,
            "one business registering 10 numbers on one device and network prefix, each sending up to the unverified limit")
        { BusinessTier = 1, Farm = true },
        new(AccountKind.SupportTeam, "honest_support_team", true, false, 0.004,
            "a business's customer-service team of 8 on 2 shift devices and one prefix, each agent answering 20 to 60 customers who wrote first")
        { TakesOrdinaryPlaces = true },
    ];

    public static KindInfo Info(AccountKind kind) => All[(int)kind];
}
