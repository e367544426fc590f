using System.Collections.Frozen;
using ReputationGrid.Contracts.Fields;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Scoring.Linking;

namespace ReputationGrid.Contracts;

/// <summary>
/// Every event type, each defined once: the HTTP and gRPC parsers, the account grain, metrics, the simulator and
/// the README's event table are all driven from this list.
/// </summary>
public static class AccountEventTypes
{
    public const int MaxGroupMembersAdded = 100_000;

    private static readonly Dictionary<string, NetworkKind> Networks = new(StringComparer.Ordinal)
    {
        ["mobile"] = NetworkKind.Mobile,
        ["landline"] = NetworkKind.Landline,
        ["voip"] = NetworkKind.Voip,
        ["unknown"] = NetworkKind.Unknown,
    };

    private static readonly ChoiceField<NetworkKind> Network = new("network", Networks, required: false);
    private static readonly TextField CountryCode = new("countryCode", maxLength: 8, required: false);
    private static readonly TextField IpPrefix = new("ipPrefix", maxLength: 64, required: false);
    private static readonly TextField DeviceId = new("deviceId", maxLength: 128, required: false);
    private static readonly BoolField Business = new("business");
    private static readonly IdField GroupId = new("groupId", account: false);
    private static readonly IntField Count = new("count", 1, MaxGroupMembersAdded);
    private static readonly IntField NonContacts = new("nonContacts", 0, MaxGroupMembersAdded) { AtMost = Count };
    private static readonly IdField Reporter = new("reporter");
    private static readonly TextField Reason = new("reason", maxLength: 200, required: false);
    private static readonly IdField Blocker = new("blocker");
    private static readonly IdField From = new("from");
    private static readonly IdField Contact = new("contact");
    private static readonly IdField Person = new("person");

    private static readonly ChoiceField<VerificationLevel> Verification = new("verification", new Dictionary<string, VerificationLevel>(StringComparer.Ordinal)
    {
        ["basic"] = VerificationLevel.Basic,
        ["full"] = VerificationLevel.Full,
    });

    /// <summary>Every event type, in the order the docs list them.</summary>
    public static IReadOnlyList<AccountEventType> All { get; } =
    [
        new AccountEventType<AccountRegistered>(
            "account_registered",
            fields => fields.Add(Network, e => e.Network).Add(CountryCode, e => e.CountryCode).Add(IpPrefix, e => e.IpPrefix)
                .Add(DeviceId, e => e.DeviceId).Add(Business, e => e.Business),
            (source, at) => new(
                at, Network.Read(source) ?? NetworkKind.Unknown, CountryCode.Read(source), IpPrefix.Read(source), DeviceId.Read(source), Business.Read(source) ?? false),
            (account, e, _) => account.Behaviour.RecordRegistration(new Registration(e.At, e.Network, e.Business, e.CountryCode, e.IpPrefix, e.DeviceId)),
            link: (links, e) => LinkPlaces(links, e.At, e.DeviceId, e.IpPrefix, registration: true),
            anyPastDate: true),
        new AccountEventType<MessageSent>(
            "message_sent",
            fields => fields.Add(MessageFields.List, e => e.Message),
            (source, at) => new(at, MessageFields.Read(source)),
            (account, e, _) =>
            {
                account.Behaviour.RecordAttempt(e.At);
                account.Behaviour.RecordDelivery(e.At, e.Message.ToOutgoing());
            },
            link: (links, e) =>
            {
                if (e.Message.Fingerprint is { } fingerprint)
                {
                    links.Add(EntityKind.Content, fingerprint, e.At);
                }
            }),
        new AccountEventType<GroupCreated>(
            "group_created",
            fields => fields.Add(GroupId, e => e.GroupId),
            (source, at) => new(at, GroupId.Read(source)!),
            (account, e, _) => account.Behaviour.RecordGroupCreated(e.At)),
        new AccountEventType<GroupMembersAdded>(
            "group_members_added",
            fields => fields.Add(GroupId, e => e.GroupId).Add(Count, e => e.Count).Add(NonContacts, e => e.NonContacts),
            (source, at) =>
            {
                var groupId = GroupId.Read(source);
                var count = Count.Read(source);
                return new(at, groupId!, count ?? 0, NonContacts.Read(source, atMostValue: count) ?? 0);
            },
            (account, e, _) => account.Behaviour.RecordGroupMembersAdded(e.At, e.Count, e.NonContacts)),
        new AccountEventType<Reported>(
            "reported",
            fields => fields.Add(Reporter, e => e.Reporter).Add(Reason, e => e.Reason),
            (source, at) => new(at, Reporter.Read(source)!, Reason.Read(source)),
            (account, e, from) => account.Behaviour.RecordNegativeFeedback(e.At, e.Reporter, from, NegativeFeedbackKind.Report),
            note: "`account` is the reported account",
            feedbackFrom: e => e.Reporter),
        new AccountEventType<Blocked>(
            "blocked",
            fields => fields.Add(Blocker, e => e.Blocker),
            (source, at) => new(at, Blocker.Read(source)!),
            (account, e, from) => account.Behaviour.RecordNegativeFeedback(e.At, e.Blocker, from, NegativeFeedbackKind.Block),
            note: "`account` is the blocked account",
            feedbackFrom: e => e.Blocker),
        new AccountEventType<ReplyReceived>(
            "reply_received",
            fields => fields.Add(From, e => e.From),
            (source, at) => new(at, From.Read(source)!),
            (account, e, _) => account.RecordReply(e.At, e.From),
            note: "`account` is the original sender; for a business, opens the customer-service window with `from`"),
        new AccountEventType<ContactAdded>(
            "contact_added",
            fields => fields.Add(Contact, e => e.Contact),
            (source, at) => new(at, Contact.Read(source)!),
            (account, e, _) => account.Behaviour.RecordContactAdded(e.At),
            anyPastDate: true),
        new AccountEventType<SessionStarted>(
            "session_started",
            fields => fields.Add(DeviceId, e => e.DeviceId).Add(IpPrefix, e => e.IpPrefix),
            (source, at) => new(at, DeviceId.Read(source), IpPrefix.Read(source)),
            (account, e, _) => account.Behaviour.RecordSessionStarted(e.At),
            note: "links the account to the device and network it uses",
            link: (links, e) => LinkPlaces(links, e.At, e.DeviceId, e.IpPrefix, registration: false)),
        new AccountEventType<ChallengePassed>(
            "challenge_passed",
            fields => fields,
            (_, at) => new(at),
            (account, e, _) => account.Behaviour.RecordChallengePassed(e.At),
            note: "the person re-verified when challenged; lifts the challenge"),
        new AccountEventType<ChallengeFailed>(
            "challenge_failed",
            fields => fields,
            (_, at) => new(at),
            (account, e, _) => account.Behaviour.RecordChallengeFailed(e.At),
            note: "the person failed the re-verification; suspends"),
        new AccountEventType<BusinessVerified>(
            "business_verified",
            fields => fields.Add(Verification, e => e.Verification),
            (source, at) => new(at, Verification.Read(source) ?? VerificationLevel.Basic),
            (account, e, _) => account.Behaviour.RecordBusinessVerified(e.At, e.Verification),
            note: "`account` is the business; raises its tier to the verified tier"),
        new AccountEventType<OptedIn>(
            "opted_in",
            fields => fields.Add(Person, e => e.Person),
            (source, at) => new(at, Person.Read(source)!),
            (account, e, _) => account.Behaviour.RecordConsent(e.At, e.Person, Consent.OptedIn),
            note: "`account` is the business; `person` consents to its messages"),
        new AccountEventType<OptedOut>(
            "opted_out",
            fields => fields.Add(Person, e => e.Person),
            (source, at) => new(at, Person.Read(source)!),
            (account, e, _) => account.Behaviour.RecordConsent(e.At, e.Person, Consent.OptedOut),
            note: "`account` is the business; `person` withdraws consent"),
    ];

    private static void LinkPlaces(AccountLinks links, DateTimeOffset at, string? deviceId, string? ipPrefix, bool registration)
    {
        if (deviceId is not null)
        {
            links.Add(EntityKind.Device, deviceId, at, registration);
        }

        if (ipPrefix is not null)
        {
            links.Add(EntityKind.Network, ipPrefix, at, registration);
        }
    }

    private static readonly FrozenDictionary<string, AccountEventType> ByName = All.ToFrozenDictionary(type => type.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, AccountEventType> ByEventType = All.ToFrozenDictionary(type => type.EventType);

    /// <summary>The event type with this wire name, or null.</summary>
    public static AccountEventType? Named(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The type of a contract event.</summary>
    public static AccountEventType Of(AccountEvent accountEvent) =>
        ByEventType.TryGetValue(accountEvent.GetType(), out var type)
            ? type
            : throw new ArgumentException($"Unknown event type {accountEvent.GetType().Name}.", nameof(accountEvent));
}
