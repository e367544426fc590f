using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ReputationGrid.Api.Grpc.V1;

namespace ReputationGrid.Api.Tests;

/// <summary>The embedded host allowing one request at a time and queueing none.</summary>
public sealed class OneRequestAtATimeFixture : GatewayFixture
{
    protected override IEnumerable<string> ExtraArguments() =>
        ["--Gateway:MaxConcurrentRequests", "1", "--Gateway:MaxQueuedRequests", "0"];
}

/// <summary>The embedded host allowing one request at a time and one more to wait.</summary>
public sealed class OneRequestAndOneWaitingFixture : GatewayFixture
{
    protected override IEnumerable<string> ExtraArguments() =>
        ["--Gateway:MaxConcurrentRequests", "1", "--Gateway:MaxQueuedRequests", "1"];
}

/// <summary>A request beyond the gateway's slots but within its queue waits for a slot, and is then served.</summary>
public sealed class LoadQueueingTests(OneRequestAndOneWaitingFixture gateway) : IClassFixture<OneRequestAndOneWaitingFixture>
{
    [Fact]
    public async Task A_request_that_finds_every_slot_taken_waits_and_is_served_when_one_frees()
    {
        var cancel = TestContext.Current.CancellationToken;
        var meters = gateway.Services.GetRequiredService<IMeterFactory>();
        using var active = new MetricCollector<long>(meters, GatewayExtensions.MeterName, "reputationgrid.gateway.requests.active");
        using var waiting = new MetricCollector<long>(meters, GatewayExtensions.MeterName, "reputationgrid.gateway.requests.waiting");
        using var shed = new MetricCollector<long>(meters, GatewayExtensions.MeterName, "reputationgrid.gateway.requests.shed");
        var body = new HeldBody("""{"events": [{"type": "contact_added", "account": "slow", "contact": "friend"}]}""");
        var held = gateway.Http.PostAsync("/v1/events", body, cancel);
        await active.WaitForMeasurementsAsync(1, cancel);

        var check = gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "patient", recipient = "friend", recipientIsContact = true }, cancel);
        await waiting.WaitForMeasurementsAsync(1, cancel);
        Assert.False(check.IsCompleted);
        body.Release();

        using var served = await held;
        using var answered = await check;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("allow", (await answered.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("action").GetString());
        Assert.Empty(shed.GetMeasurementSnapshot());
    }
}

/// <summary>At its limit the gateway sheds requests (HTTP 503 or gRPC UNAVAILABLE, with a retry-after) instead of queueing them without bound.</summary>
public sealed class LoadSheddingTests(OneRequestAtATimeFixture gateway) : IClassFixture<OneRequestAtATimeFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_beyond_the_limit_is_shed_with_503_and_retry_after_and_health_still_answers()
    {
        var meters = gateway.Services.GetRequiredService<IMeterFactory>();
        using var active = new MetricCollector<long>(meters, GatewayExtensions.MeterName, "reputationgrid.gateway.requests.active");
        using var shedCount = new MetricCollector<long>(meters, GatewayExtensions.MeterName, "reputationgrid.gateway.requests.shed");
        var body = new HeldBody("""{"events": [{"type": "contact_added", "account": "slow", "contact": "friend"}]}""");
        var held = gateway.Http.PostAsync("/v1/events", body, Cancel);

        // Only once the held request is served in the single slot is the next one certain to be shed; a check sent
        // earlier could take the slot itself and get the held request shed instead.
        await active.WaitForMeasurementsAsync(1, Cancel);
        using var shed = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "eager", recipient = "friend", recipientIsContact = true }, Cancel);
        var shedGrpc = await Assert.ThrowsAsync<RpcException>(() => new Reputation.ReputationClient(gateway.Grpc)
            .CheckSendAsync(new CheckSendRequest { Account = "eager", Recipient = "friend", RecipientIsContact = true }, cancellationToken: Cancel).ResponseAsync);

        using var health = await gateway.Http.GetAsync("/healthz/live", Cancel);
        body.Release();
        using var served = await held;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
        Assert.NotNull(shed.Headers.RetryAfter);
        Assert.Equal("application/problem+json", shed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, (await shed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetInt32());
        Assert.Equal(StatusCode.Unavailable, shedGrpc.StatusCode);
        Assert.Equal("The gateway is at its limit of requests in flight. Retry shortly.", shedGrpc.Status.Detail);
        Assert.Equal("1", shedGrpc.Trailers.GetValue("retry-after-seconds"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(2, shedCount.GetMeasurementSnapshot().EvaluateAsCounter());

        using var after = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "eager", recipient = "friend", recipientIsContact = true }, Cancel);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}

/// <summary>A request body sent in two parts: the second waits for <see cref="Release"/>, holding the request open.</summary>
internal sealed class HeldBody : HttpContent
{
    private readonly string _json;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldBody(string json)
    {
        _json = json;
        Headers.ContentType = new("application/json");
    }

    public void Release() => _released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var bytes = Encoding.UTF8.GetBytes(_json);
        await stream.WriteAsync(bytes.AsMemory(0, 10));
        await stream.FlushAsync();
        await _released.Task;
        await stream.WriteAsync(bytes.AsMemory(10));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Encoding.UTF8.GetByteCount(_json);
        return true;
    }
}
