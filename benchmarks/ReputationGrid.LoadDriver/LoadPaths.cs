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

/// <summary>
/// ReputationGrid's account grains through an Orleans grain factory: the silo's own, or an external client's. Linked
/// accounts (<paramref name="linked"/>) registered on a device and behind a network prefix, and every message of theirs
/// carries one of <see cref="Traffic.FingerprintCount"/> forwarded contents, so each check also looks up its links.
/// </summary>
internal sealed class AccountGrainPath(IGrainFactory grains, Traffic traffic, bool linked = false) : IOperationPath
{
    // References made as the gateway makes them (GetGrain<T>(string) reads attributes on every call: see GrainReferences).
    private readonly AccountGrains _accounts = new(grains);

    // Message details are immutable: one per peer and contact flag, shared by every request that uses them.
    private readonly MessageDetails[] _messages =
        [.. traffic.Peers.SelectMany((peer, i) => new[] { Message(traffic, i, false, linked), Message(traffic, i, true, linked) })];

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
    public const int HistoryMessages = Traffic.CorrespondentDraws;

    /// <summary>
    /// Registers the account as a two-year-old business account (whose rate limits let the runs' heavy traffic stay
    /// allowed, so they measure the common path of an allowed decision), or as a personal account when
    /// <paramref name="business"/> is false (activated only to measure memory), with an hour of the benchmark's own
    /// traffic behind it: one message to each of its correspondents' draws, at irregular gaps, half of them answered as an
    /// ordinary account's are (one nobody answers is throttled, and keeps a training-data grain). Its structures then have
    /// the shape that traffic gives them (its distinct-recipient counts are sketches) and the runs, which draw among the
    /// same correspondents, measure warm accounts, not accounts still growing. A linked account registers on its device
    /// and prefix, and its history carries the runs' fingerprints, so it is linked to all its entities before the runs.
    /// </summary>
    public static Task ActivateAsync(IGrainFactory grains, Traffic traffic, int account, bool linked, bool business = true)
    {
        var random = new Random(account);
        var now = DateTimeOffset.UtcNow;
        var history = ImmutableArray.CreateBuilder<AccountEvent>(2 * HistoryMessages + 1);
        history.Add(linked
            ? new AccountRegistered(now.AddYears(-2), Scoring.NetworkKind.Mobile, IpPrefix: Traffic.PrefixOf(account), DeviceId: Traffic.DeviceOf(account), Business: business)
            : new AccountRegistered(now.AddYears(-2), Scoring.NetworkKind.Mobile, Business: business));
        var at = now.AddHours(-1);
        for (var i = 0; i < HistoryMessages; i++)
        {
            var operation = Traffic.SendCheck(random, account, draw: i);
            at = at.AddSeconds(random.Next(5, 67));
            history.Add(new MessageSent(at, Message(traffic, operation.Peer, operation.PeerIsContact, linked)));
            if (random.Next(2) == 0)
            {
                history.Add(new ReplyReceived(at.AddSeconds(2), traffic.Peers[operation.Peer]));
            }
        }

        return grains.GetGrain<IAccountGrain>(traffic.Accounts[account]).RecordAsync(history.ToImmutable());
    }

    private static MessageDetails Message(Traffic traffic, int peer, bool contact, bool linked) =>
        new(traffic.Peers[peer], contact, Typed: true, Fingerprint: linked ? traffic.FingerprintFor(peer) : null);
}

/// <summary>
/// A hot entity: every send check carries one viral fingerprint, sent by each account in turn, so each check links a
/// new account to it (one linking event per check) until every account has; then the next fingerprint starts. Run
/// in the silo of the linked accounts, after their closed-loop runs (the viral links push out their older ones).
/// </summary>
internal sealed class HotEntityPath(IGrainFactory grains, Traffic traffic) : IOperationPath
{
    private readonly AccountGrains _accounts = new(grains);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8]; // every run's fingerprints are new entities
    private ViralContent _content = new(0, "");
    private long _next = -1;

    /// <summary>Send checks started, each one linking event.</summary>
    public long Sent => Interlocked.Read(ref _next) + 1;

    public Task ExecuteAsync(Operation operation)
    {
        var n = Interlocked.Increment(ref _next);
        var generation = n / traffic.Accounts.Length;
        var content = Volatile.Read(ref _content);
        if (content.Generation != generation || content.Fingerprint.Length == 0)
        {
            content = new ViralContent(generation, $"viral-{_run}-{generation}");
            Volatile.Write(ref _content, content);
        }

        var message = new MessageDetails(traffic.Peers[operation.Peer], operation.PeerIsContact, Typed: true, Fingerprint: content.Fingerprint);
        return _accounts.Get(traffic.Accounts[n % traffic.Accounts.Length]).CheckSendAsync(DateTimeOffset.UtcNow, message);
    }

    private sealed record ViralContent(long Generation, string Fingerprint);
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
    /// <summary>The route and JSON body of an operation's request; a linked account's messages carry their fingerprint.</summary>
    public static (string Path, string Body) For(Traffic traffic, Operation operation, bool linked)
    {
        var account = traffic.Accounts[operation.Account];
        var peer = traffic.Peers[operation.Peer];
        var contact = operation.PeerIsContact ? "true" : "false";
        var fingerprint = linked ? $",\"fingerprint\":\"{traffic.FingerprintFor(operation.Peer)}\"" : "";
        return operation.Kind switch
        {
            OperationKind.SendCheck =>
                ("/v1/decisions/send", $$"""{"account":"{{account}}","recipient":"{{peer}}","recipientIsContact":{{contact}},"typed":true{{fingerprint}}}"""),
            OperationKind.Reply =>
                ("/v1/events", $$"""{"events":[{"type":"reply_received","account":"{{account}}","from":"{{peer}}"}]}"""),
            OperationKind.ContactAdded =>
                ("/v1/events", $$"""{"events":[{"type":"contact_added","account":"{{account}}","contact":"{{peer}}"}]}"""),
            _ =>
                ("/v1/events", $$"""{"events":[{"type":"message_sent","account":"{{account}}","recipient":"{{peer}}","recipientIsContact":{{contact}},"typed":true{{fingerprint}}}]}"""),
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
