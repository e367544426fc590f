using System.Net;
using Grpc.Core;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Grpc.V1;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary>Sender keys limited to a burst of 2 and 1 request a second each; operators are not limited.</summary>
public sealed class RateLimitedGatewayFixture : GatewayFixture
{
    public const int Burst = 2;

    public TestApiKey FirstSender { get; } = TestApiKey.Create("fe-1", Roles.Sender);

    public TestApiKey SecondSender { get; } = TestApiKey.Create("fe-2", Roles.Sender);

    public TestApiKey Operator { get; } = TestApiKey.Create("ops", Roles.Operator);

    public TestApiKey GrpcSender { get; } = TestApiKey.Create("fe-grpc", Roles.Sender);

    protected override IEnumerable<string> ExtraArguments() =>
    [
        .. FirstSender.Arguments(0), .. SecondSender.Arguments(1), .. Operator.Arguments(2), .. GrpcSender.Arguments(3),
        "--Auth:RateLimits:sender:PermitsPerSecond", "1",
        "--Auth:RateLimits:sender:Burst", Burst.ToString(),
    ];
}

/// <summary>Each caller has its own limit by role: beyond it 429 with Retry-After (gRPC RESOURCE_EXHAUSTED), others unaffected.</summary>
public sealed class RateLimitTests(RateLimitedGatewayFixture gateway) : IClassFixture<RateLimitedGatewayFixture>
{
    private const int Requests = 10;

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> CheckAsync(TestApiKey key) =>
        RoleTests.Send(gateway.Http, HttpMethod.Post, "/v1/decisions/send", key.Key, """{"account": "limited", "recipient": "b", "recipientIsContact": true}""", Cancel);

    [Fact]
    public async Task A_caller_beyond_its_limit_gets_429_with_retry_after_and_other_callers_are_served()
    {
        var started = TimeProvider.System.GetTimestamp();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < Requests; i++)
        {
            answers.Add((await CheckAsync(gateway.FirstSender)).Response);
        }

        var elapsedSeconds = (int)Math.Ceiling(TimeProvider.System.GetElapsedTime(started).TotalSeconds);
        var served = answers.Count(answer => answer.StatusCode == HttpStatusCode.OK);
        Assert.InRange(served, RateLimitedGatewayFixture.Burst, RateLimitedGatewayFixture.Burst + elapsedSeconds);
        var refused = answers.First(answer => answer.StatusCode != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.OK, (await CheckAsync(gateway.SecondSender)).Status);
        for (var i = 0; i < Requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await RoleTests.Send(gateway.Http, HttpMethod.Get, "/v1/accounts/limited", gateway.Operator.Key, null, Cancel)).Status);
        }
    }

    [Fact]
    public async Task Over_grpc_a_caller_beyond_its_limit_gets_resource_exhausted_with_a_retry_after()
    {
        var client = new Reputation.ReputationClient(gateway.Grpc);
        var headers = new Metadata { { "Authorization", $"Bearer {gateway.GrpcSender.Key}" } };
        RpcException? refused = null;
        for (var i = 0; i < Requests && refused is null; i++)
        {
            try
            {
                await client.CheckSendAsync(new CheckSendRequest { Account = "limited-grpc", Recipient = "b", RecipientIsContact = true }, headers, cancellationToken: Cancel);
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.True(int.Parse(refused.Trailers.GetValue("retry-after-seconds")!) >= 1);
    }
}
