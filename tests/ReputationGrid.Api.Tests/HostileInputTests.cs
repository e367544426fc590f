using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ReputationGrid.Api.Grpc.V1;

namespace ReputationGrid.Api.Tests;

/// <summary>The embedded host with its logs collected, and the log of malformed requests on.</summary>
public sealed class LoggedGatewayFixture : GatewayFixture
{
    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    protected override IEnumerable<string> ExtraArguments() => ["--Logging:LogLevel:ReputationGrid.Api.MalformedRequests", "Information"];

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddFakeLogging();

    /// <summary>Records at Error or above, which a hostile request must never cause.</summary>
    public IReadOnlyList<FakeLogRecord> Errors() => [.. Logs.GetSnapshot().Where(record => record.Level >= LogLevel.Error)];

    /// <summary>The lines logged about malformed requests.</summary>
    public IReadOnlyList<FakeLogRecord> Malformed() => [.. Logs.GetSnapshot().Where(record => record.Category == typeof(MalformedRequests).FullName)];

    /// <summary>Sends raw bytes as one gRPC request to <paramref name="method"/> and returns the status it ends with.</summary>
    public async Task<Status> CallGrpcAsync(string method, byte[] message, CancellationToken cancellationToken) =>
        (await CallGrpcForReplyAsync(method, message, cancellationToken)).Status;

    /// <summary>Sends raw bytes as one gRPC request to <paramref name="method"/>: the status, and the reply's bytes when it succeeded.</summary>
    public async Task<(Status Status, byte[]? Reply)> CallGrpcForReplyAsync(string method, byte[] message, CancellationToken cancellationToken)
    {
        var raw = new Method<byte[], byte[]>(MethodType.Unary, Reputation.Descriptor.FullName, method, RawBytes, RawBytes);
        try
        {
            var reply = await Grpc.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(cancellationToken: cancellationToken), message);
            return (Status.DefaultSuccess, reply);
        }
        catch (RpcException e)
        {
            return (e.Status, null);
        }
    }

    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(bytes => bytes, bytes => bytes);
}

/// <summary>Malformed requests, as an attacker or a broken front-end sends them: each a clear 4xx, logged in one short line at most.</summary>
public sealed class HostileInputTests(LoggedGatewayFixture gateway) : IClassFixture<LoggedGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, byte[] body, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        using var response = await gateway.Http.PostAsync(path, content, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string json, string contentType = "application/json") =>
        PostAsync(path, Encoding.UTF8.GetBytes(json), contentType);

    private async Task<bool> KnownAsync(string account) =>
        JsonNode.Parse(await gateway.Http.GetStringAsync($"/v1/accounts/{account}", Cancel))!["known"]!.GetValue<bool>();

    private static byte[] WithInvalidUtf8(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes[Array.IndexOf(bytes, (byte)'~')] = 0xFF;
        return bytes;
    }

    [Fact]
    public async Task Invalid_utf8_or_a_lone_surrogate_is_400_naming_the_position_and_the_whole_batch_is_refused()
    {
        var before = gateway.Malformed().Count;

        var (check, checkBody) = await PostAsync("/v1/decisions/send", WithInvalidUtf8("""{"account": "utf-a", "recipient": "b~", "recipientIsContact": true}"""));
        var (batch, batchBody) = await PostAsync("/v1/events", WithInvalidUtf8(
            """{"events": [{"type": "contact_added", "account": "utf-ok", "contact": "c"}, {"type": "contact_added", "account": "utf-b", "contact": "c~"}]}"""));
        var (surrogate, surrogateBody) = await PostAsync("/v1/events",
            """{"events": [{"type": "contact_added", "account": "utf-ok", "contact": "c"}, {"type": "contact_added", "account": "utf-c", "contact": "\ud800"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, check);
        Assert.StartsWith("recipient: is not valid text (invalid UTF-8 or a lone surrogate escape) at line 1, byte ", checkBody!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, batch);
        Assert.StartsWith("events[1].contact: is not valid text", batchBody!["detail"]!.GetValue<string>());
        Assert.NotNull(batchBody["errors"]!["events[1].contact"]);
        Assert.Equal(HttpStatusCode.BadRequest, surrogate);
        Assert.StartsWith("events[1].contact: is not valid text", surrogateBody!["detail"]!.GetValue<string>());
        Assert.False(await KnownAsync("utf-ok"));
        var lines = gateway.Malformed().Skip(before).ToList();
        // At most a line per bad request; whether any is written depends on the one-a-second limit other tests share (MalformedRequestsTests covers it).
        Assert.True(lines.Count <= 3, $"{lines.Count} lines");
        Assert.All(lines, line => Assert.True(line.Message.Length < 400 && line.Exception is null && line.Level == LogLevel.Information, line.Message));
        Assert.Empty(gateway.Errors());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_never_read()
    {
        var (status, body) = await PostAsync("/v1/events", """{"events": [{"type": "contact_added", "account": "plain", "contact": "c"}]}""", "text/plain");
        var (check, _) = await PostAsync("/v1/decisions/send", """{"account": "plain", "recipient": "b", "recipientIsContact": true}""", "application/x-www-form-urlencoded");
        var (action, _) = await PostAsync("/v1/accounts/plain/actions", """{"action": "ban"}""", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal(415, body!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, check);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, action);
        Assert.False(await KnownAsync("plain"));
    }

    [Theory]
    [InlineData("/v1/events", """{"events": [], "events": []}""", "events", "events: appears more than once")]
    [InlineData("/v1/events", """{"events": [], "dryRun": true}""", "dryRun", "dryRun: is not a known field")]
    [InlineData("/v1/events", """{"events": [{"type": "contact_added", "account": "dup", "contact": "c", "contact": "d"}]}""", "events[0]", "events[0]: has a field more than once")]
    [InlineData("/v1/events", """{"events": {"type": "contact_added"}}""", "events", "events: is required and must be an array of events")]
    [InlineData("/v1/events", """[]""", "body", "body: must be a JSON object")]
    [InlineData("/v1/events", """{"events": [}""", "body", "body: is not valid JSON at line 1, byte 13")]
    [InlineData("/v1/decisions/send", """{"account": "dup", "account": "other", "recipient": "b", "recipientIsContact": true}""", "account", "account: appears more than once")]
    [InlineData("/v1/accounts/dup/actions", """{"action": "ban", "action": "clear"}""", "action", "action: appears more than once")]
    [InlineData("/v1/accounts/dup/actions", """{"action": "suspend", "until": "9999-12-31T00:00:00Z"}""", "until", "until: must lie at most 365 days ahead")]
    public async Task Duplicate_and_unknown_fields_are_400_naming_the_field(string path, string json, string field, string error)
    {
        var (status, body) = await PostAsync(path, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(error, body!["detail"]!.GetValue<string>());
        Assert.Equal([error], body["errors"]![field]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.False(await KnownAsync("dup"));
    }

    [Fact]
    public async Task Behavioural_events_from_long_ago_are_rejected_and_registrations_keep_their_true_age()
    {
        var (status, body) = await PostAsync("/v1/events", """
            {"events": [
              {"type": "account_registered", "account": "old-timer", "at": "2012-03-04T05:06:07Z"},
              {"type": "reported", "account": "old-timer", "reporter": "x", "at": "2012-03-05T00:00:00Z"},
              {"type": "account_registered", "account": "ancient", "at": "0001-01-01T00:00:00Z"}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body!["accepted"]!.GetValue<int>());
        Assert.Equal([1, 2], body["rejected"]!.AsArray().Select(r => r!["index"]!.GetValue<int>()));
        Assert.StartsWith("at: lies more than 2 days in the past", body["rejected"]![0]!["error"]!.GetValue<string>());
        Assert.Equal("at: must not lie before 2009-01-01", body["rejected"]![1]!["error"]!.GetValue<string>());
        Assert.True(await KnownAsync("old-timer"));
        Assert.False(await KnownAsync("ancient"));
    }

    [Fact]
    public async Task Grpc_garbage_is_invalid_argument_and_logs_no_error()
    {
        byte[][] garbage =
        [
            [0xFF, 0xFF, 0xFF, 0xFF],
            [0x0A, 0x05, (byte)'a'], // a string field claiming 5 bytes with 1 present
            [0x0A, 0x02, 0xC3, 0x28], // invalid UTF-8 in a string field
            [0x07],
        ];

        foreach (var bytes in garbage)
        {
            Assert.Equal(StatusCode.InvalidArgument, (await gateway.CallGrpcAsync("CheckSend", bytes, Cancel)).StatusCode);
            Assert.Equal(StatusCode.InvalidArgument, (await gateway.CallGrpcAsync("RecordEvents", bytes, Cancel)).StatusCode);
        }

        Assert.Equal(StatusCode.OK, (await gateway.CallGrpcAsync(
            "CheckSend", new CheckSendRequest { Account = "grpc-ok", Recipient = "b", RecipientIsContact = true }.ToByteArray(), Cancel)).StatusCode);
        Assert.Empty(gateway.Errors());
    }
}
