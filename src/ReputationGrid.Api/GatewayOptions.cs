using Microsoft.Extensions.Options;

namespace ReputationGrid.Api;

/// <summary>Limits the gateway enforces on requests (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    public int MaxEventsPerRequest { get; set; } = 1000;

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How far in the future an event's <c>at</c> may lie (clocks differ); later ones are rejected.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Requests served at once; beyond this and <see cref="MaxQueuedRequests"/> the gateway sheds load with
    /// 503 and Retry-After instead of queueing without bound. Health endpoints are never shed.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 2048;

    /// <summary>Requests that may wait for a slot, oldest first, before requests are shed.</summary>
    public int MaxQueuedRequests { get; set; } = 2048;

    /// <summary>Where the gRPC API listens (HTTP/2 without TLS); unset or empty: no gRPC.</summary>
    public string? GrpcUrl { get; set; }
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        if (options.MaxEventsPerRequest is < 1 or > 100_000)
        {
            errors.Add("Gateway:MaxEventsPerRequest must be between 1 and 100000.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add("Gateway:MaxRequestBodyBytes must be between 1 KiB and 64 MiB.");
        }

        if (options.MaxConcurrentRequests < 1 || options.MaxQueuedRequests < 0)
        {
            errors.Add("Gateway:MaxConcurrentRequests must be at least 1 and Gateway:MaxQueuedRequests not negative.");
        }

        if (options.MaxFutureSkew < TimeSpan.Zero)
        {
            errors.Add("Gateway:MaxFutureSkew must not be negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
