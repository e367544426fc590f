using System.Globalization;
using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;
using ReputationGrid.Api.Grpc;

namespace ReputationGrid.Api.Auth;

/// <summary>
/// Per-caller rate limits (<c>Auth:RateLimits:{role}</c>): a token bucket per authenticated caller, sized by the most
/// generous limit among its roles; callers whose roles have no limit, and anonymous requests (health probes), are not
/// limited. Beyond the limit: 429 with <c>Retry-After</c> (gRPC: RESOURCE_EXHAUSTED with <c>retry-after-seconds</c>).
/// </summary>
internal static class CallerRateLimits
{
    private const string Detail = "This caller is over its rate limit. Retry after the time given.";

    public static void Configure(RateLimiterOptions options, IReadOnlyDictionary<string, RateLimitOptions> limits)
    {
        // Most generous first; each role's options and factory are made once, so choosing a partition allocates nothing.
        var byRole = limits
            .OrderByDescending(limit => limit.Value.PermitsPerSecond)
            .Select(limit => (Role: limit.Key, Factory: Factory(limit.Value)))
            .ToArray();
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (string? Scheme, string Name)>(context =>
        {
            var user = context.User;
            if (user.Identity is { IsAuthenticated: true, Name: { } name } identity)
            {
                foreach (var (role, factory) in byRole)
                {
                    if (user.IsInRole(role))
                    {
                        return new RateLimitPartition<(string?, string)>((identity.AuthenticationType, name), factory);
                    }
                }
            }

            return RateLimitPartition.GetNoLimiter<(string?, string)>(default);
        });
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (rejected, _) =>
        {
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : 1;
            var context = rejected.HttpContext;
            var header = GrpcFailures.TryWriteStatus(context, StatusCode.ResourceExhausted, Detail) ? GrpcFailures.RetryAfterTrailer : HeaderNames.RetryAfter;
            context.Response.Headers[header] = seconds.ToString(CultureInfo.InvariantCulture);
            return ValueTask.CompletedTask;
        };
    }

    private static Func<(string?, string), RateLimiter> Factory(RateLimitOptions limit)
    {
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst ?? limit.PermitsPerSecond,
            TokensPerPeriod = limit.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return _ => new TokenBucketRateLimiter(options);
    }
}
