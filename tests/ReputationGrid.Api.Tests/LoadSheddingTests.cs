using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ReputationGrid.Api.Grpc.V1;

namespace ReputationGrid.Api.Tests;

/// <summary>The embedded host allowing one request at a time and queueing none, with account storage a test can hold.</summary>
public sealed class OneRequestAtATimeFixture : GatewayFixture
{
    public GatedAccountStorage Storage { get; } = new();

    protected override IEnumerable<string> ExtraArguments() =>
        ["--Gateway:MaxConcurrentRequests", "1", "--Gateway:MaxQueuedRequests", "0"];

    protected override void Configure(WebApplicationBuilder builder) => Storage.Install(builder);
}

/// <summary>The embedded host allowing one request at a time and one more to wait, with account storage a test can hold.</summary>
public sealed class OneRequestAndOneWaitingFixture : GatewayFixture
{
    public GatedAccountStorage Storage { get; } = new();

    protected override IEnumerable<string> ExtraArguments() =>
        ["--Gateway:MaxConcurrentRequests", "1", "--Gateway:MaxQueuedRequests", "1"];

    protected override void Configure(WebApplicationBuilder builder) => Storage.Install(builder);
}

/// <summary>A request beyond the gateway's slots but within its queue waits for a slot, and is then served.</summary>
public sealed class LoadQueueingTests(OneRequestAndOneWaitingFixture gateway) : IClassFixture<OneRequestAndOneWaitingFixture>
{
    [Fact]
    public async Task A_request_that_finds_every_slot_taken_waits_and_is_served_when_one_frees()
    {
        var cancel = TestContext.Current.CancellationToken;
        var meters = gateway.Services.GetRequiredService<IMeterFactory>();
        using var waiting = new MetricCollector<long>(meters, GatewayExtensions.MeterName, "reputationgrid.gateway.requests.waiting");
        using var shed = new MetricCollector<long>(meters, GatewayExtensions.MeterName, "reputationgrid.gateway.requests.shed");
        var held = gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = GatedAccountStorage.HeldAccount, recipient = "friend", recipientIsContact = true }, cancel);
        await gateway.Storage.Reached.WaitAsync(cancel);

        var check = gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "patient", recipient = "friend", recipientIsContact = true }, cancel);
        await waiting.WaitForMeasurementsAsync(1, cancel);
        Assert.False(check.IsCompleted);
        gateway.Storage.Release();

        using var served = await held;
        using var answered = await check;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("allow", (await answered.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("action").GetString());
        Assert.Empty(shed.GetMeasurementSnapshot());
    }
}

/// <summary>
/// At its limit the gateway sheds requests (HTTP 503 or gRPC UNAVAILABLE, with a retry-after) instead of queueing them
/// without bound, and says it is not ready; a body still arriving holds no slot.
/// </summary>
public sealed class LoadSheddingTests(OneRequestAtATimeFixture gateway) : IClassFixture<OneRequestAtATimeFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_beyond_the_limit_is_shed_with_503_and_retry_after_and_readiness_fails_until_a_slot_frees()
    {
        var meters = gateway.Services.GetRequiredService<IMeterFactory>();
        using var shedCount = new MetricCollector<long>(meters, GatewayExtensions.MeterName, "reputationgrid.gateway.requests.shed");
        var trickling = new HeldBody("""{"events": [{"type": "contact_added", "account": "slow", "contact": "friend"}]}""");
        var slowBody = gateway.Http.PostAsync("/v1/events", trickling, Cancel);
        var held = gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = GatedAccountStorage.HeldAccount, recipient = "friend", recipientIsContact = true }, Cancel);

        // Only once the held request is served in the single slot is the next one certain to be shed.
        await gateway.Storage.Reached.WaitAsync(Cancel);
        using var shed = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "eager", recipient = "friend", recipientIsContact = true }, Cancel);
        var shedGrpc = await Assert.ThrowsAsync<RpcException>(() => new Reputation.ReputationClient(gateway.Grpc)
            .CheckSendAsync(new CheckSendRequest { Account = "eager", Recipient = "friend", RecipientIsContact = true }, cancellationToken: Cancel).ResponseAsync);

        using var live = await gateway.Http.GetAsync("/healthz/live", Cancel);
        using var saturated = await gateway.Http.GetAsync("/healthz", Cancel);
        gateway.Storage.Release();
        using var served = await held;
        trickling.Release();
        using var slowServed = await slowBody;
        using var ready = await gateway.Http.GetAsync("/healthz", Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
        Assert.NotNull(shed.Headers.RetryAfter);
        Assert.Equal("application/problem+json", shed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, (await shed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetInt32());
        Assert.Equal(StatusCode.Unavailable, shedGrpc.StatusCode);
        Assert.Equal("The gateway is at its limit of requests in flight. Retry shortly.", shedGrpc.Status.Detail);
        Assert.Equal("1", shedGrpc.Trailers.GetValue("retry-after-seconds"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, saturated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slowServed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(2, shedCount.GetMeasurementSnapshot().EvaluateAsCounter());

        using var after = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "eager", recipient = "friend", recipientIsContact = true }, Cancel);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_body_still_arriving_holds_no_slot()
    {
        var trickling = new HeldBody("""{"events": [{"type": "contact_added", "account": "trickler", "contact": "friend"}]}""");
        var slowBody = gateway.Http.PostAsync("/v1/events", trickling, Cancel);
        await trickling.FirstPartSent.WaitAsync(Cancel);

        using var check = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "prompt", recipient = "friend", recipientIsContact = true }, Cancel);
        Assert.False(slowBody.IsCompleted);
        trickling.Release();
        using var slowServed = await slowBody;

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slowServed.StatusCode);
    }
}

/// <summary>A request body sent in two parts: the second waits for <see cref="Release"/>, holding the request open.</summary>
internal sealed class HeldBody : HttpContent
{
    private readonly string _json;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstPartSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first part has been sent.</summary>
    public Task FirstPartSent => _firstPartSent.Task;

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
        _firstPartSent.TrySetResult();
        await _released.Task;
        await stream.WriteAsync(bytes.AsMemory(10));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Encoding.UTF8.GetByteCount(_json);
        return true;
    }
}
