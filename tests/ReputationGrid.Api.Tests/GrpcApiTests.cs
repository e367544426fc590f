using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Testing.Apis;

namespace ReputationGrid.Api.Tests;

/// <summary>The gRPC API beside the HTTP API: same decisions, same validation, same error texts.</summary>
public sealed class GrpcApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Reputation.ReputationClient Grpc => new(gateway.Grpc);

    [Fact]
    public async Task The_same_event_stream_gets_the_same_decisions_over_grpc_and_http()
    {
        var overGrpc = await BurstOverApis.OverGrpcAsync(gateway.Grpc, "grpc-burst", Cancel);
        var overHttp = await BurstOverApis.OverHttpAsync(gateway.Http, "http-burst", Cancel);

        Assert.Equal(overHttp, overGrpc);
        Assert.Equal("allow", overGrpc[0].Action);
        Assert.NotEqual("allow", overGrpc[^1].Action);
    }

    [Fact]
    public async Task Challenge_outcomes_are_recorded_over_grpc_and_a_failure_suspends()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        string At(TimeSpan offset) => (start + offset).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var request = new RecordEventsRequest { Events = { new Event { Type = "account_registered", Account = "grpc-fails", Network = "mobile", At = At(TimeSpan.FromDays(-2)) } } };
        for (var i = 0; i < 40; i++)
        {
            // One piece of content to 40 contacts within the hour, at irregular gaps, half of whom answer: a challenge, and nothing else.
            request.Events.Add(new Event
            {
                Type = "message_sent", Account = "grpc-fails", Recipient = $"c{i}", RecipientIsContact = true, Fingerprint = "flyer",
                At = At(TimeSpan.FromSeconds((i / 2 * 65) + (i % 2 * 5))),
            });
            if (i % 2 == 1)
            {
                request.Events.Add(new Event { Type = "reply_received", Account = "grpc-fails", From = $"c{i}", At = At(TimeSpan.FromSeconds((i / 2 * 65) + 35)) });
            }
        }

        await Grpc.RecordEventsAsync(request, cancellationToken: Cancel);
        var challenged = await Grpc.CheckSendAsync(new CheckSendRequest { Account = "grpc-fails", Recipient = "c0", RecipientIsContact = true, At = At(TimeSpan.FromMinutes(25)) }, cancellationToken: Cancel);
        var failed = await Grpc.RecordEventsAsync(
            new RecordEventsRequest { Events = { new Event { Type = "challenge_failed", Account = "grpc-fails", At = At(TimeSpan.FromMinutes(26)) } } },
            cancellationToken: Cancel);
        var after = await Grpc.CheckSendAsync(new CheckSendRequest { Account = "grpc-fails", Recipient = "c1", RecipientIsContact = true, At = At(TimeSpan.FromHours(2)) }, cancellationToken: Cancel);

        Assert.Equal("challenge", challenged.Action);
        Assert.Equal(1, failed.Accepted);
        Assert.Equal("suspend", after.Action);
        Assert.Equal("challenge_failed", after.Reasons[0]);
    }

    [Fact]
    public async Task Invalid_requests_are_rejected_with_the_http_apis_error_text()
    {
        var grpcError = await Assert.ThrowsAsync<RpcException>(() =>
            Grpc.CheckSendAsync(new CheckSendRequest { Account = "bad id!", Recipient = "bob", RecipientIsContact = true }, cancellationToken: Cancel).ResponseAsync);
        using var response = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "bad id!", recipient = "bob", recipientIsContact = true }, Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(StatusCode.InvalidArgument, grpcError.StatusCode);
        Assert.Equal(problem.GetProperty("detail").GetString(), grpcError.Status.Detail);
        Assert.StartsWith("account:", grpcError.Status.Detail);
    }

    [Fact]
    public async Task A_send_check_dated_before_the_registration_is_refused_alike_over_http_and_grpc()
    {
        var registered = DateTimeOffset.UtcNow.AddHours(-1);
        string At(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        await Grpc.RecordEventsAsync(
            new RecordEventsRequest { Events = { new Event { Type = "account_registered", Account = "grpc-early", Network = "mobile", At = At(registered) } } },
            cancellationToken: Cancel);
        var early = At(registered.AddMinutes(-5));

        var grpcError = await Assert.ThrowsAsync<RpcException>(() => Grpc.CheckSendAsync(
            new CheckSendRequest { Account = "grpc-early", Recipient = "bob", RecipientIsContact = true, At = early }, cancellationToken: Cancel).ResponseAsync);
        using var response = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "grpc-early", recipient = "bob", recipientIsContact = true, at = early }, Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(StatusCode.InvalidArgument, grpcError.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(problem.GetProperty("detail").GetString(), grpcError.Status.Detail);
        Assert.StartsWith("at: send check at ", grpcError.Status.Detail);
        Assert.Contains("is dated before the account registered", grpcError.Status.Detail);
        Assert.Equal(grpcError.Status.Detail, problem.GetProperty("errors").GetProperty("at")[0].GetString());
    }

    [Fact]
    public async Task A_batch_rejects_only_its_bad_events_with_the_same_reasons_as_http()
    {
        var reply = await Grpc.RecordEventsAsync(new RecordEventsRequest
        {
            Events =
            {
                new Event { Type = "contact_added", Account = "grpc-batch", Contact = "friend" },
                new Event { Type = "group_members_added", Account = "grpc-batch", GroupId = "g1", Count = 3, NonContacts = 5 },
                new Event { Type = "no_such_type", Account = "grpc-batch" },
            },
        }, cancellationToken: Cancel);
        using var response = await gateway.Http.PostAsJsonAsync("/v1/events", new
        {
            events = new object[]
            {
                new { type = "contact_added", account = "http-batch", contact = "friend" },
                new { type = "group_members_added", account = "http-batch", groupId = "g1", count = 3, nonContacts = 5 },
                new { type = "no_such_type", account = "http-batch" },
            },
        }, Cancel);
        var http = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(1, reply.Accepted);
        Assert.Equal(http.GetProperty("accepted").GetInt32(), reply.Accepted);
        Assert.Equal(
            http.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("error").GetString())),
            reply.Rejected.Select(r => (r.Index, (string?)r.Error)));
    }

    [Fact]
    public async Task The_business_events_and_the_conversation_field_go_through_grpc()
    {
        var now = DateTimeOffset.UtcNow;
        string At(TimeSpan offset) => (now + offset).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var reply = await Grpc.RecordEventsAsync(new RecordEventsRequest
        {
            Events =
            {
                new Event { Type = "account_registered", Account = "grpc-brand", Business = true, At = At(TimeSpan.FromDays(-30)) },
                new Event { Type = "business_verified", Account = "grpc-brand", Verification = "full", At = At(TimeSpan.FromMinutes(-10)) },
                new Event { Type = "opted_in", Account = "grpc-brand", Person = "fan", At = At(TimeSpan.FromMinutes(-9)) },
                new Event { Type = "opted_out", Account = "grpc-brand", Person = "ex-fan", At = At(TimeSpan.FromMinutes(-9)) },
                new Event { Type = "message_sent", Account = "grpc-brand", Recipient = "ex-fan", RecipientIsContact = false, Conversation = "business_initiated", At = At(TimeSpan.FromMinutes(-8)) },
                new Event { Type = "business_verified", Account = "grpc-brand", Verification = "platinum" },
            },
        }, cancellationToken: Cancel);
        var decision = await Grpc.CheckSendAsync(
            new CheckSendRequest { Account = "grpc-brand", Recipient = "fan", RecipientIsContact = false, Conversation = "business_initiated", At = At(TimeSpan.Zero) },
            cancellationToken: Cancel);
        var business = (await gateway.Http.GetFromJsonAsync<JsonElement>("/v1/accounts/grpc-brand", Cancel)).GetProperty("business");

        Assert.Equal(5, reply.Accepted);
        Assert.StartsWith("verification:", Assert.Single(reply.Rejected).Error);
        Assert.Equal("allow", decision.Action);
        Assert.Equal((3, "full"), (business.GetProperty("tier").GetInt32(), business.GetProperty("verification").GetString()));
        Assert.Equal(2, business.GetProperty("usedIn24h").GetInt64());
        Assert.Equal(1, business.GetProperty("qualityInputs").GetProperty("optedOutMessages").GetDouble());
    }

    [Fact]
    public async Task Too_many_events_in_one_batch_are_refused_whole()
    {
        var request = new RecordEventsRequest();
        request.Events.Add(Enumerable.Range(0, 1001).Select(i => new Event { Type = "contact_added", Account = "grpc-many", Contact = $"c{i}" }));

        var error = await Assert.ThrowsAsync<RpcException>(() => Grpc.RecordEventsAsync(request, cancellationToken: Cancel).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("events: at most 1000 events per request, got 1001", error.Status.Detail);
    }
}
