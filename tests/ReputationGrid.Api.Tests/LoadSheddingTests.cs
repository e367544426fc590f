using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ReputationGrid.Api.Tests;

/// <summary>The embedded host allowing one request at a time and queueing none.</summary>
public sealed class OneRequestAtATimeFixture : GatewayFixture
{
    protected override IEnumerable<string> ExtraArguments() =>
        ["--Gateway:MaxConcurrentRequests", "1", "--Gateway:MaxQueuedRequests", "0"];
}

/// <summary>At its limit the gateway sheds requests with 503 and Retry-After instead of queueing them without bound.</summary>
public sealed class LoadSheddingTests(OneRequestAtATimeFixture gateway) : IClassFixture<OneRequestAtATimeFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_beyond_the_limit_is_shed_with_503_and_retry_after_and_health_still_answers()
    {
        var body = new HeldBody("""{"events": [{"type": "contact_added", "account": "slow", "contact": "friend"}]}""");
        var held = gateway.Http.PostAsync("/v1/events", body, Cancel);
        await body.Started.WaitAsync(Cancel);

        // The held request takes the only slot once its headers reach the server; until then a check may still get through.
        HttpResponseMessage shed;
        var attempts = 0;
        do
        {
            shed = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "eager", recipient = "friend", recipientIsContact = true }, Cancel);
        }
        while (shed.StatusCode == HttpStatusCode.OK && ++attempts < 1000);

        using var health = await gateway.Http.GetAsync("/healthz/live", Cancel);
        body.Release();
        using var served = await held;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
        Assert.NotNull(shed.Headers.RetryAfter);
        Assert.Equal("application/problem+json", shed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, (await shed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        using var after = await gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account = "eager", recipient = "friend", recipientIsContact = true }, Cancel);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>A request body sent in two parts: the second waits for <see cref="Release"/>, holding the request open.</summary>
    private sealed class HeldBody : HttpContent
    {
        private readonly string _json;
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldBody(string json)
        {
            _json = json;
            Headers.ContentType = new("application/json");
        }

        public Task Started => _started.Task;

        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(_json);
            await stream.WriteAsync(bytes.AsMemory(0, 10));
            await stream.FlushAsync();
            _started.SetResult();
            await _released.Task;
            await stream.WriteAsync(bytes.AsMemory(10));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Encoding.UTF8.GetByteCount(_json);
            return true;
        }
    }
}
