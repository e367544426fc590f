using ReputationGrid.Scoring.BusinessAccounts;

namespace ReputationGrid.Contracts.Fields;

/// <summary>The fields of one message, shared by <c>message_sent</c> events and send checks.</summary>
public static class MessageFields
{
    public static readonly IdField Recipient = new("recipient");
    public static readonly BoolField RecipientIsContact = new("recipientIsContact", required: true);
    public static readonly IdField GroupId = new("groupId", required: false, account: false);
    public static readonly BoolField IsForward = new("isForward");
    public static readonly TextField Fingerprint = new("fingerprint", maxLength: 128, required: false) { Note = "opaque" };
    public static readonly BoolField Typed = new("typed");

    private static readonly Dictionary<string, ConversationKind> Conversations = new(StringComparer.Ordinal)
    {
        ["business_initiated"] = ConversationKind.BusinessInitiated,
        ["service"] = ConversationKind.Service,
    };

    /// <summary>For a business: who opened the conversation; a claimed <c>service</c> message outside the customer-service window counts as business-initiated.</summary>
    public static readonly ChoiceField<ConversationKind> Conversation = new("conversation", Conversations, required: false) { Note = "businesses" };

    public static FieldList<MessageDetails> List { get; } = new FieldList<MessageDetails>()
        .Add(Recipient, m => m.Recipient)
        .Add(RecipientIsContact, m => m.RecipientIsContact)
        .Add(GroupId, m => m.GroupId)
        .Add(IsForward, m => m.IsForward)
        .Add(Fingerprint, m => m.Fingerprint)
        .Add(Typed, m => m.Typed)
        .Add(Conversation, m => m.Conversation);

    /// <summary>The message read from the source; if the source then holds an error, the message is incomplete.</summary>
    public static MessageDetails Read(IFieldSource source) => new(
        Recipient.Read(source)!,
        RecipientIsContact.Read(source) ?? false,
        GroupId.Read(source),
        IsForward.Read(source) ?? false,
        Fingerprint.Read(source),
        Typed.Read(source),
        Conversation.Read(source));
}
