namespace ReputationGrid.Contracts;

/// <summary>The wire names of the event types, shared by the HTTP and gRPC gateways and by metrics.</summary>
public static class AccountEventTypes
{
    public const string AccountRegistered = "account_registered";
    public const string MessageSent = "message_sent";
    public const string GroupCreated = "group_created";
    public const string GroupMembersAdded = "group_members_added";
    public const string Reported = "reported";
    public const string Blocked = "blocked";
    public const string ReplyReceived = "reply_received";
    public const string ContactAdded = "contact_added";

    public static IReadOnlyList<string> All { get; } =
        [AccountRegistered, MessageSent, GroupCreated, GroupMembersAdded, Reported, Blocked, ReplyReceived, ContactAdded];

    public static string NameOf(AccountEvent accountEvent) => accountEvent switch
    {
        Contracts.AccountRegistered => AccountRegistered,
        Contracts.MessageSent => MessageSent,
        Contracts.GroupCreated => GroupCreated,
        Contracts.GroupMembersAdded => GroupMembersAdded,
        Contracts.Reported => Reported,
        Contracts.Blocked => Blocked,
        Contracts.ReplyReceived => ReplyReceived,
        Contracts.ContactAdded => ContactAdded,
        _ => throw new ArgumentException($"Unknown event type {accountEvent.GetType().Name}.", nameof(accountEvent)),
    };
}
