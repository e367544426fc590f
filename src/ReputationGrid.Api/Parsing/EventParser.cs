using System.Text.Json;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;

namespace ReputationGrid.Api.Parsing;

/// <summary>One validated event and the account it belongs to.</summary>
internal sealed record ParsedEvent(string Account, AccountEvent Event);

/// <summary>Turns one JSON event of <c>POST /v1/events</c> into a contract event, or says what is wrong with it.</summary>
internal static class EventParser
{
    public const int MaxGroupMembersAdded = 100_000;

    private static readonly Dictionary<string, NetworkKind> Networks = new(StringComparer.Ordinal)
    {
        ["mobile"] = NetworkKind.Mobile,
        ["landline"] = NetworkKind.Landline,
        ["voip"] = NetworkKind.Voip,
        ["unknown"] = NetworkKind.Unknown,
    };

    public static ParsedEvent? Parse(JsonElement element, EventClock clock, out string? error)
    {
        var fields = new JsonFields(element);
        var type = fields.Text("type", maxLength: 64);
        var account = fields.Id("account");
        var at = clock.Read(fields);
        AccountEvent? accountEvent = type switch
        {
            null => null,
            AccountEventTypes.AccountRegistered => new AccountRegistered(
                at,
                fields.Choice("network", Networks, required: false) ?? NetworkKind.Unknown,
                fields.Text("countryCode", required: false, maxLength: 8),
                fields.Text("ipPrefix", required: false, maxLength: 64),
                fields.Text("deviceId", required: false, maxLength: 128),
                fields.Bool("business") ?? false),
            AccountEventTypes.MessageSent => new MessageSent(at, ReadMessage(fields)),
            AccountEventTypes.GroupCreated => new GroupCreated(at, fields.Id("groupId")!),
            AccountEventTypes.GroupMembersAdded => ReadGroupMembersAdded(fields, at),
            AccountEventTypes.Reported => new Reported(at, fields.Id("reporter")!, fields.Text("reason", required: false, maxLength: 200)),
            AccountEventTypes.Blocked => new Blocked(at, fields.Id("blocker")!),
            AccountEventTypes.ReplyReceived => new ReplyReceived(at, fields.Id("from")!),
            AccountEventTypes.ContactAdded => new ContactAdded(at, fields.Id("contact")!),
            _ => Unknown(fields),
        };

        fields.RejectUnknownFields();
        error = fields.Error;
        return error is null ? new ParsedEvent(account!, accountEvent!) : null;
    }

    /// <summary>The message fields shared by <c>message_sent</c> events and send-time checks.</summary>
    public static MessageDetails ReadMessage(JsonFields fields) => new(
        fields.Id("recipient")!,
        fields.Bool("recipientIsContact", required: true) ?? false,
        fields.Id("groupId", required: false),
        fields.Bool("isForward") ?? false,
        fields.Text("fingerprint", required: false, maxLength: 128),
        fields.Bool("typed"));

    private static GroupMembersAdded ReadGroupMembersAdded(JsonFields fields, DateTimeOffset at)
    {
        var groupId = fields.Id("groupId");
        var count = fields.Int("count", 1, MaxGroupMembersAdded) ?? 0;
        var nonContacts = fields.Int("nonContacts", 0, MaxGroupMembersAdded) ?? 0;
        if (nonContacts > count)
        {
            fields.Reject("nonContacts", "must not exceed count");
        }

        return new GroupMembersAdded(at, groupId!, count, nonContacts);
    }

    private static AccountEvent? Unknown(JsonFields fields)
    {
        fields.Reject("type", $"must be one of: {string.Join(", ", AccountEventTypes.All)}");
        return null;
    }
}
