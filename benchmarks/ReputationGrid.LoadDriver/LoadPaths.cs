using System.Collections.Immutable;
using Grpc.Net.Client;
using ReputationGrid.Api;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Contracts;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// One way of sending a request to a decision service, inside the process that generates a run's load: every path
/// gets the same <see cref="Operation"/>s from the same <see cref="Traffic"/>.
/// </summary>
internal interface IOperationPath
{
    Task ExecuteAsync(Operation operation);
}

/// <summary>ReputationGrid's account grains through an Orleans grain factory: the silo's own, or an external client's.</summary>
internal sealed class AccountGrainPath(IGrainFactory grains, Traffic traffic) : IOperationPath
{
    // References made as the gateway makes them (GetGrain<T>(string) reads attributes on every call: see GrainReferences).
    private readonly AccountGrains _accounts = new(grains);

    // Message details are immutable: one per peer and contact flag, shared by every request that uses them.
    private readonly MessageDetails[] _messages =
        [.. traffic.Peers.SelectMany(peer => new[] { new MessageDetails(peer, false, Typed: true), new MessageDetails(peer, true, Typed: true) })];

    public Task ExecuteAsync(Operation operation)
    {
        var grain = _accounts.Get(traffic.Accounts[operation.Account]);
        var now = DateTimeOffset.UtcNow;
        var message = _messages[operation.Peer * 2 + (operation.PeerIsContact ? 1 : 0)];
        return operation.Kind switch
        {
            OperationKind.SendCheck => grain.CheckSendAsync(now, message),
            OperationKind.Reply => grain.RecordAsync([new ReplyReceived(now, message.Recipient)]),
            OperationKind.ContactAdded => grain.RecordAsync([new ContactAdded(now, message.Recipient)]),
            _ => grain.RecordAsync([new MessageSent(now, message)]),
        };
    }

    /// <summary>Messages each account is given as its last hour's history before the runs.</summary>
    public const int HistoryMessages = 100;

    /// <summary>
    /// Registers the account as a two-year-old business account (whose rate limits let the runs' heavy traffic stay
    /// allowed, so they measure the common path of an allowed decision) with an hour of the
    /// benchmark's own traffic behind it: <see cref="HistoryMessages"/> messages to peers drawn as the runs draw them,
    /// at irregular gaps. Its structures then have the shape that traffic gives them (its distinct-recipient counts
    /// are sketches) and the runs measure warm accounts, not accounts still growing.
    /// </summary>
    public static Task ActivateAsync(IGrainFactory grains, Traffic traffic, int account)
    {
        var random = new Random(account);
        var now = DateTimeOffset.UtcNow;
        var history = ImmutableArray.CreateBuilder<AccountEvent>(HistoryMessages + 1);
        history.Add(new AccountRegistered(now.AddYears(-2), Scoring.NetworkKind.Mobile, Business: true));
        var at = now.AddHours(-1);
        for (var i = 0; i < HistoryMessages; i++)
        {
            var operation = traffic.Next(random, KeyDistribution.Uniform, checkShare: 1);
            at = at.AddSeconds(random.Next(5, 67));
            history.Add(new MessageSent(at, new MessageDetails(traffic.Peers[operation.Peer], operation.PeerIsContact, Typed: true)));
        }

        return grains.GetGrain<IAccountGrain>(traffic.Accounts[account]).RecordAsync(history.MoveToImmutable());
    }
}

/// <summary>Baseline (a): a grain call that carries the same request and answer as the send-time check and does nothing.</summary>
internal sealed class NoopGrainPath(IGrainFactory grains, Traffic traffic) : IOperationPath
{
    private readonly MessageDetails[] _messages = [.. traffic.Peers.Select(peer => new MessageDetails(peer, true, Typed: true))];
    private readonly GrainReferences<INoopGrain> _grains = new(grains);

    public Task ExecuteAsync(Operation operation) =>
        _grains.Get(traffic.Accounts[operation.Account]).CheckSendAsync(DateTimeOffset.UtcNow, _messages[operation.Peer]);
}

/// <summary>
/// The requests of the HTTP API of a gateway: <c>POST /v1/decisions/send</c> and <c>POST /v1/events</c>. The Redis
/// limiter and the empty endpoint answer the same send-check request at the same route (and take no events), so wrk
/// replays these to all of them.
/// </summary>
internal static class HttpRequests
{
    /// <summary>The route and JSON body of an operation's request.</summary>
    public static (string Path, string Body) For(Traffic traffic, Operation operation)
    {
        var account = traffic.Accounts[operation.Account];
        var peer = traffic.Peers[operation.Peer];
        var contact = operation.PeerIsContact ? "true" : "false";
        return operation.Kind switch
        {
            OperationKind.SendCheck =>
                ("/v1/decisions/send", $$"""{"account":"{{account}}","recipient":"{{peer}}","recipientIsContact":{{contact}},"typed":true}"""),
            OperationKind.Reply =>
                ("/v1/events", $$"""{"events":[{"type":"reply_received","account":"{{account}}","from":"{{peer}}"}]}"""),
            OperationKind.ContactAdded =>
                ("/v1/events", $$"""{"events":[{"type":"contact_added","account":"{{account}}","contact":"{{peer}}"}]}"""),
            _ =>
                ("/v1/events", $$"""{"events":[{"type":"message_sent","account":"{{account}}","recipient":"{{peer}}","recipientIsContact":{{contact}},"typed":true}]}"""),
        };
    }
}

/// <summary>
/// The gRPC API of a gateway (<c>CheckSend</c> and <c>RecordEvents</c> with one event), as front-ends that call at
/// send time use it: one channel, its calls multiplexed over HTTP/2.
/// </summary>
internal sealed class GrpcPath(GrpcChannel channel, Traffic traffic) : IOperationPath
{
    private readonly Reputation.ReputationClient _client = new(channel);

    public async Task ExecuteAsync(Operation operation)
    {
        var account = traffic.Accounts[operation.Account];
        var peer = traffic.Peers[operation.Peer];
        if (operation.Kind == OperationKind.SendCheck)
        {
            await _client.CheckSendAsync(new CheckSendRequest { Account = account, Recipient = peer, RecipientIsContact = operation.PeerIsContact, Typed = true });
            return;
        }

        var accountEvent = operation.Kind switch
        {
            OperationKind.Reply => new Event { Type = "reply_received", Account = account, From = peer },
            OperationKind.ContactAdded => new Event { Type = "contact_added", Account = account, Contact = peer },
            _ => new Event { Type = "message_sent", Account = account, Recipient = peer, RecipientIsContact = operation.PeerIsContact, Typed = true },
        };
        var reply = await _client.RecordEventsAsync(new RecordEventsRequest { Events = { accountEvent } });
        if (reply.Rejected.Count > 0)
        {
            throw new InvalidOperationException($"RecordEvents rejected the event: {reply.Rejected[0].Error}");
        }
    }
}
