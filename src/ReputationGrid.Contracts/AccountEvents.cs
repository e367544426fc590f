using ReputationGrid.Scoring;
using ReputationGrid.Scoring.BusinessAccounts;

namespace ReputationGrid.Contracts;

// Events a messaging platform reports about one account (the account is the grain's key).
// Aliases and ids are part of the wire format between gateways and silos: never change or reuse them.

/// <summary>Something that happened to or was done by an account, at an event time.</summary>
[GenerateSerializer, Immutable, Alias("rg.AccountEvent")]
public abstract record AccountEvent([property: Id(0)] DateTimeOffset At);

[GenerateSerializer, Immutable, Alias("rg.AccountRegistered")]
public sealed record AccountRegistered(
    DateTimeOffset At,
    [property: Id(0)] NetworkKind Network,
    [property: Id(1)] string? CountryCode = null,
    [property: Id(2)] string? IpPrefix = null,
    [property: Id(3)] string? DeviceId = null,
    [property: Id(4)] bool Business = false) : AccountEvent(At);

/// <summary>A message the platform delivered without asking for a decision first.</summary>
[GenerateSerializer, Immutable, Alias("rg.MessageSent")]
public sealed record MessageSent(DateTimeOffset At, [property: Id(0)] MessageDetails Message) : AccountEvent(At);

[GenerateSerializer, Immutable, Alias("rg.GroupCreated")]
public sealed record GroupCreated(DateTimeOffset At, [property: Id(0)] string GroupId) : AccountEvent(At);

[GenerateSerializer, Immutable, Alias("rg.GroupMembersAdded")]
public sealed record GroupMembersAdded(
    DateTimeOffset At,
    [property: Id(0)] string GroupId,
    [property: Id(1)] int Count,
    [property: Id(2)] int NonContacts) : AccountEvent(At);

/// <summary>The account was reported by <paramref name="Reporter"/>.</summary>
[GenerateSerializer, Immutable, Alias("rg.Reported")]
public sealed record Reported(DateTimeOffset At, [property: Id(0)] string Reporter, [property: Id(1)] string? Reason = null) : AccountEvent(At);

/// <summary>The account was blocked by <paramref name="Blocker"/>.</summary>
[GenerateSerializer, Immutable, Alias("rg.Blocked")]
public sealed record Blocked(DateTimeOffset At, [property: Id(0)] string Blocker) : AccountEvent(At);

/// <summary>Someone the account messaged replied.</summary>
[GenerateSerializer, Immutable, Alias("rg.ReplyReceived")]
public sealed record ReplyReceived(DateTimeOffset At, [property: Id(0)] string From) : AccountEvent(At);

[GenerateSerializer, Immutable, Alias("rg.ContactAdded")]
public sealed record ContactAdded(DateTimeOffset At, [property: Id(0)] string Contact) : AccountEvent(At);

/// <summary>The account started a session on a device or network: links it there even after registration.</summary>
[GenerateSerializer, Immutable, Alias("rg.SessionStarted")]
public sealed record SessionStarted(
    DateTimeOffset At,
    [property: Id(0)] string? DeviceId = null,
    [property: Id(1)] string? IpPrefix = null) : AccountEvent(At);
/// <summary>The person behind the account passed the re-verification a challenge asked for (a captcha, an SMS code).</summary>
[GenerateSerializer, Immutable, Alias("rg.ChallengePassed")]
public sealed record ChallengePassed(DateTimeOffset At) : AccountEvent(At);

/// <summary>The person behind the account failed the re-verification a challenge asked for.</summary>
[GenerateSerializer, Immutable, Alias("rg.ChallengeFailed")]
public sealed record ChallengeFailed(DateTimeOffset At) : AccountEvent(At);

/// <summary>The platform verified the business (the account) to <paramref name="Verification"/>.</summary>
[GenerateSerializer, Immutable, Alias("rg.BusinessVerified")]
public sealed record BusinessVerified(DateTimeOffset At, [property: Id(0)] VerificationLevel Verification) : AccountEvent(At);

/// <summary><paramref name="Person"/> consented to the business's (the account's) messages.</summary>
[GenerateSerializer, Immutable, Alias("rg.OptedIn")]
public sealed record OptedIn(DateTimeOffset At, [property: Id(0)] string Person) : AccountEvent(At);

/// <summary><paramref name="Person"/> withdrew consent to the business's (the account's) messages.</summary>
[GenerateSerializer, Immutable, Alias("rg.OptedOut")]
public sealed record OptedOut(DateTimeOffset At, [property: Id(0)] string Person) : AccountEvent(At);

/// <summary>The metadata of one message; its content is never sent, at most an opaque fingerprint of it.</summary>
[GenerateSerializer, Immutable, Alias("rg.MessageDetails")]
public sealed record MessageDetails(
    [property: Id(0)] string Recipient,
    [property: Id(1)] bool RecipientIsContact,
    [property: Id(2)] string? GroupId = null,
    [property: Id(3)] bool IsForward = false,
    [property: Id(4)] string? Fingerprint = null,
    [property: Id(5)] bool? Typed = null,
    [property: Id(6)] ConversationKind? Conversation = null)
{
    public OutgoingMessage ToOutgoing() => new(Recipient, RecipientIsContact, GroupId, IsForward, Fingerprint, Typed, Conversation);
}
