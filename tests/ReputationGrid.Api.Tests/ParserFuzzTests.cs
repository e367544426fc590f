using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;

namespace ReputationGrid.Api.Tests;

/// <summary>
/// Seeded mutations of valid requests, and random bytes, against the HTTP and gRPC parsers of a running gateway: never a
/// 5xx or an unexpected gRPC status, never an error logged, and of every batch taken the accepted events are exactly
/// those the parser finds valid on their own.
/// </summary>
public sealed class ParserFuzzTests(LoggedGatewayFixture gateway) : IClassFixture<LoggedGatewayFixture>
{
    /// <summary>Account ids stored as sent: no pseudonym key.</summary>
    private static readonly AccountIds AsSent = new(Options.Create(new IdsOptions()));

    private const int Seed = 26;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Recent(int minutes) =>
        DateTimeOffset.UtcNow.AddMinutes(-minutes).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static byte[] ValidBatch() => Encoding.UTF8.GetBytes($$"""
        {"events": [
          {"type": "account_registered", "account": "fz-a", "network": "voip", "countryCode": "NL", "ipPrefix": "10.1.2", "deviceId": "d-1", "business": false, "at": "2020-01-02T03:04:05Z"},
          {"type": "message_sent", "account": "fz-a", "recipient": "fz-b", "recipientIsContact": true, "groupId": "g1", "isForward": false, "fingerprint": "fp", "typed": true, "at": "{{Recent(3)}}"},
          {"type": "group_created", "account": "fz-a", "groupId": "g1"},
          {"type": "group_members_added", "account": "fz-a", "groupId": "g1", "count": 12, "nonContacts": 3, "at": "{{Recent(2)}}"},
          {"type": "reported", "account": "fz-b", "reporter": "fz-c", "reason": "spam"},
          {"type": "blocked", "account": "fz-b", "blocker": "fz-d"},
          {"type": "reply_received", "account": "fz-a", "from": "fz-b"},
          {"type": "contact_added", "account": "fz-a", "contact": "fz-e", "at": "2015-05-05T05:05:05+02:00"},
          {"type": "session_started", "account": "fz-a", "deviceId": "d-2", "ipPrefix": "10.1.3"}
        ]}
        """);

    private static byte[] ValidCheck() => Encoding.UTF8.GetBytes($$"""
        {"account": "fz-a", "recipient": "fz-b", "recipientIsContact": false, "groupId": "g1", "isForward": true, "fingerprint": "fp", "typed": false, "at": "{{Recent(1)}}"}
        """);

    [Fact]
    public async Task Mutated_event_batches_get_a_4xx_or_exactly_their_valid_events_accepted()
    {
        var mutator = new Mutator(new Random(Seed));
        var valid = ValidBatch();
        var (taken, partly) = (0, 0);
        for (var i = 0; i < 1_200; i++)
        {
            var body = i % 8 == 7 ? mutator.RandomBytes() : mutator.Mutate(valid);
            var (status, reply) = await PostAsync("/v1/events", body);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, Describe(i, status, body));
            if (status == HttpStatusCode.OK)
            {
                var (count, invalid) = ValidityOf(body);
                taken++;
                partly += invalid.Count > 0 ? 1 : 0;
                Assert.Equal(invalid, reply.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).ToList());
                Assert.Equal(count - invalid.Count, reply.GetProperty("accepted").GetInt32());
            }
        }

        // The mutations reach the per-event checks often, both ways, and not only the body's.
        Assert.InRange(taken, 300, 1_000);
        Assert.InRange(partly, 100, taken);
        Assert.Empty(gateway.Errors());
    }

    [Fact]
    public async Task Mutated_send_checks_and_operator_actions_get_a_4xx_exactly_when_invalid()
    {
        var mutator = new Mutator(new Random(Seed + 1));
        var check = ValidCheck();
        var answered = 0;
        var action = Encoding.UTF8.GetBytes("""{"action": "suspend", "note": "fuzz", "until": "{{UNTIL}}"}""".Replace("{{UNTIL}}", DateTimeOffset.UtcNow.AddDays(3).ToString("O")));
        for (var i = 0; i < 900; i++)
        {
            var body = i % 8 == 7 ? mutator.RandomBytes() : mutator.Mutate(check);
            var (status, _) = await PostAsync("/v1/decisions/send", body);
            var clock = new EventClock(DateTimeOffset.UtcNow, new GatewayOptions());
            var fields = WireContract.SendCheck.Read(AsSent, body);
            var expected = fields.Error is null && RequestParsers.SendCheck(fields, clock) is not null ? HttpStatusCode.OK : HttpStatusCode.BadRequest;
            Assert.True(status == expected, Describe(i, status, body));
            answered += status == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.InRange(answered, 30, 800);

        for (var i = 0; i < 300; i++)
        {
            var body = mutator.Mutate(action);
            var (status, _) = await PostAsync("/v1/accounts/fz-operated/actions", body);
            var fields = WireContract.OperatorAction.Read(AsSent, body);
            var expected = fields.Error is null && RequestParsers.OperatorAction(fields, DateTimeOffset.UtcNow, new GatewayOptions().MaxSuspension, "fuzz") is not null
                ? HttpStatusCode.OK : HttpStatusCode.BadRequest;
            Assert.True(status == expected, Describe(i, status, body));
        }

        Assert.Empty(gateway.Errors());
    }

    [Fact]
    public async Task Mutated_grpc_messages_get_ok_or_invalid_argument_and_exactly_their_valid_events_accepted()
    {
        var mutator = new Mutator(new Random(Seed + 2));
        var check = new CheckSendRequest { Account = "fz-g", Recipient = "fz-h", RecipientIsContact = true, Typed = true, At = Recent(1) }.ToByteArray();
        var events = new RecordEventsRequest
        {
            Events =
            {
                new Event { Type = "account_registered", Account = "fz-g", Network = "mobile", At = "2019-09-09T09:09:09Z" },
                new Event { Type = "message_sent", Account = "fz-g", Recipient = "fz-h", RecipientIsContact = false, At = Recent(2) },
                new Event { Type = "group_members_added", Account = "fz-g", GroupId = "g", Count = 5, NonContacts = 1 },
                new Event { Type = "reported", Account = "fz-h", Reporter = "fz-i" },
            },
        }.ToByteArray();

        var (ok, batches) = (0, 0);
        for (var i = 0; i < 900; i++)
        {
            var toCheck = i % 2 == 0;
            var message = i % 8 == 7 ? mutator.RandomBytes() : mutator.Mutate(toCheck ? check : events);
            var (status, reply) = await gateway.CallGrpcForReplyAsync(toCheck ? "CheckSend" : "RecordEvents", message, Cancel);
            Assert.True(status.StatusCode is StatusCode.OK or StatusCode.InvalidArgument, $"#{i}: {status} for {Convert.ToHexString(message)}");
            ok += status.StatusCode == StatusCode.OK ? 1 : 0;
            if (!toCheck && status.StatusCode == StatusCode.OK)
            {
                var sent = RecordEventsRequest.Parser.ParseFrom(message);
                var clock = new EventClock(DateTimeOffset.UtcNow, new GatewayOptions());
                var invalid = sent.Events
                    .Select((e, index) => (index, valid: EventParser.Parse(WireContract.Event.Read(AsSent, JsonFormatter.Default.Format(e)), clock, out _) is not null))
                    .Where(e => !e.valid).Select(e => e.index).ToList();
                var recorded = RecordEventsReply.Parser.ParseFrom(reply);
                batches++;
                Assert.Equal(invalid, recorded.Rejected.Select(r => r.Index).ToList());
                Assert.Equal(sent.Events.Count - invalid.Count, recorded.Accepted);
            }
        }

        Assert.InRange(ok, 100, 800);
        Assert.InRange(batches, 50, ok);

        Assert.Empty(gateway.Errors());
    }

    private async Task<(HttpStatusCode Status, JsonElement Reply)> PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await gateway.Http.PostAsync(path, content, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The events of a batch the gateway took, and which of them the parser finds invalid on their own.</summary>
    private static (int Count, List<int> Invalid) ValidityOf(byte[] body)
    {
        using var document = JsonDocument.Parse(body, Strict);
        var events = document.RootElement.GetProperty("events");
        var clock = new EventClock(DateTimeOffset.UtcNow, new GatewayOptions());
        var invalid = new List<int>();
        var index = 0;
        foreach (var element in events.EnumerateArray())
        {
            if (EventParser.Parse(WireContract.Event.Read(AsSent, element), clock, out _) is null)
            {
                invalid.Add(index);
            }

            index++;
        }

        return (index, invalid);
    }

    private static string Describe(int i, HttpStatusCode status, byte[] body) => $"#{i}: {(int)status} for {Convert.ToBase64String(body)}";
}

/// <summary>A seeded mutator of request bytes: bit flips, bytes and tokens that parsers trip on, cut, repeated and dropped spans.</summary>
internal sealed class Mutator(Random random)
{
    private static readonly byte[] Bytes = [0x00, 0x01, 0x7F, 0x80, 0xC0, 0xC3, 0xED, 0xF4, 0xFF, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'0', (byte)'-', (byte)'e', (byte)'.', (byte)' '];

    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\\ud800", "\\udfff\\ud800", "\\u0000", "\"x\":1,", "null", "1e400", "-1", "2147483648", "0.5", "true", "[]", "{}", "\"\"",
            "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"2026-01-01T00:00:00\"", "\"account\":\"dup\",", "\"type\":\"blocked\",",
            "\"events\":[],", new string('a', 300), "{\"type\":\"contact_added\",\"account\":\"fz-z\",\"contact\":\"c\"},",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public byte[] RandomBytes()
    {
        var bytes = new byte[random.Next(0, 400)];
        random.NextBytes(bytes);
        return bytes;
    }

    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var mutations = random.Next(3) == 0 ? 2 : 1;
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(0, bytes.Count);
            switch (random.Next(10))
            {
                case 0:
                case 1:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes[at] = Bytes[random.Next(Bytes.Length)];
                    break;
                case 3:
                case 4:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 5:
                    bytes.RemoveRange(at, random.Next(1, Math.Min(40, bytes.Count - at) + 1));
                    break;
                case 6:
                    bytes.InsertRange(random.Next(0, bytes.Count + 1), bytes.GetRange(at, random.Next(1, Math.Min(60, bytes.Count - at) + 1)));
                    break;
                case 7:
                case 8:
                    // A letter or digit for another: the request mostly stays well-formed and reaches the field checks.
                    var index = bytes.FindIndex(at, b => char.IsAsciiLetterOrDigit((char)b));
                    if (index >= 0)
                    {
                        bytes[index] = (byte)(char.IsAsciiDigit((char)bytes[index]) ? '0' + random.Next(10) : 'a' + random.Next(26));
                    }

                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
