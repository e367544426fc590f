using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Net.Client;
using ReputationGrid.Api;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Contracts;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// One way of reaching a decision service under load. Every path gets the same <see cref="Operation"/>s from the
/// same <see cref="Traffic"/>. A new path is one more implementation of this interface, started in
/// <see cref="BenchmarkServers"/>, listed in <see cref="LoadPaths"/> and named in <see cref="PathNames"/>, with its
/// runs added in <see cref="ScenarioPlan.Build"/>.
/// </summary>
internal interface ILoadPath
{
    string Name { get; }

    Task ExecuteAsync(Operation operation);
}

/// <summary>The paths by name, as the <c>--paths</c> option takes them.</summary>
internal static class PathNames
{
    public const string InProcess = "inproc";
    public const string Client = "client";
    public const string Http = "http";
    public const string Grpc = "grpc";
    public const string Redis = "redis";
    public const string EmptyEndpoint = "empty";
    public const string GatewayProcess = "gateway";

    public static IReadOnlyList<string> All { get; } = [InProcess, Client, Http, Grpc, Redis, EmptyEndpoint, GatewayProcess];
}

/// <summary>ReputationGrid's account grains through an Orleans grain factory: the silo's own, or an external client's.</summary>
internal sealed class AccountGrainPath(string name, IGrainFactory grains, Traffic traffic) : ILoadPath
{
    // References made as the gateway makes them (GetGrain<T>(string) reads attributes on every call: see GrainReferences).
    private readonly AccountGrains _accounts = new(grains);

    // Message details are immutable: one per peer and contact flag, shared by every request that uses them.
    private readonly MessageDetails[] _messages =
        [.. traffic.Peers.SelectMany(peer => new[] { new MessageDetails(peer, false, Typed: true), new MessageDetails(peer, true, Typed: true) })];

    public string Name => name;

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
    /// Registers the account as a two-year-old business account (see docs/BENCHMARKS.md for why) with an hour of the
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
internal sealed class NoopGrainPath(string name, IGrainFactory grains, Traffic traffic) : ILoadPath
{
    private readonly MessageDetails[] _messages = [.. traffic.Peers.Select(peer => new MessageDetails(peer, true, Typed: true))];
    private readonly GrainReferences<INoopGrain> _grains = new(grains);

    public string Name => name;

    public Task ExecuteAsync(Operation operation) =>
        _grains.Get(traffic.Accounts[operation.Account]).CheckSendAsync(DateTimeOffset.UtcNow, _messages[operation.Peer]);
}

/// <summary>
/// The HTTP API of a gateway: <c>POST /v1/decisions/send</c> and <c>POST /v1/events</c>. The Redis limiter baseline
/// and the empty endpoint answer the same send-check request at the same route (and take no events), so all three are
/// driven by this one class.
/// </summary>
internal sealed class HttpPath(string name, HttpClient http, Traffic traffic) : ILoadPath
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string Name => name;

    /// <summary>The server's address, for a load generator outside the process (<see cref="WrkRunner"/>).</summary>
    public Uri BaseAddress => http.BaseAddress!;

    public async Task ExecuteAsync(Operation operation)
    {
        var (path, body) = Request(operation);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync(path, content);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The route and JSON body of an operation's request.</summary>
    public (string Path, string Body) Request(Operation operation)
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
internal sealed class GrpcPath(string name, GrpcChannel channel, Traffic traffic) : ILoadPath
{
    private readonly Reputation.ReputationClient _client = new(channel);

    public string Name => name;

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
