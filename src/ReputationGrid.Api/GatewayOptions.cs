using System.Globalization;
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
    /// How old a behavioural event (and a send check's <c>at</c>) may be: enough for delayed delivery and retries, too
    /// little to forge an account's history. Raise it for a back-fill.
    /// </summary>
    public TimeSpan MaxPastSkew { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// The earliest <c>at</c> of the events that may carry any real past date (registrations and contacts, so that a
    /// platform can onboard existing accounts with their true age): no real account is older, and a default date of
    /// 0001-01-01 is caught.
    /// </summary>
    public DateTimeOffset EarliestEventTime { get; set; } = new(2009, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead an operator's suspension may end; a longer one is a ban.</summary>
    public TimeSpan MaxSuspension { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Kestrel's minimum request body rate: a body arriving slower than this (after <see cref="MinRequestBodyGracePeriod"/>)
    /// is cut off with 408, so that trickled bodies cannot hold connections for long.
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 1024;

    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a client may take to send the request headers (Kestrel's default is 30 s).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Open connections Kestrel accepts at once; beyond them new connections are refused (each costs memory and a socket).</summary>
    public long MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>
    /// Requests served at once; beyond this and <see cref="MaxQueuedRequests"/> the gateway sheds load with
    /// 503 and Retry-After instead of queueing without bound. Health endpoints are never shed.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 2048;

    /// <summary>Requests that may wait for a slot, oldest first, before requests are shed.</summary>
    public int MaxQueuedRequests { get; set; } = 2048;

    /// <summary>Where the gRPC API listens (HTTP/2 without TLS); unset or empty: no gRPC.</summary>
    public string? GrpcUrl { get; set; }

    /// <summary>A bound as errors state it: "2 days", "12 hours", "90 minutes".</summary>
    internal static string Describe(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerDay == 0 ? Count(span.TotalDays, "day")
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? Count(span.TotalHours, "hour")
        : Count(Math.Ceiling(span.TotalMinutes), "minute");

    private static string Count(double count, string unit) =>
        $"{count.ToString("0", CultureInfo.InvariantCulture)} {unit}{(count == 1 ? "" : "s")}";
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

        if (options.MaxFutureSkew < TimeSpan.Zero || options.MaxFutureSkew > TimeSpan.FromDays(1))
        {
            errors.Add("Gateway:MaxFutureSkew must be between 0 and 1 day.");
        }

        if (options.MaxPastSkew < TimeSpan.FromMinutes(1))
        {
            errors.Add("Gateway:MaxPastSkew must be at least 1 minute.");
        }

        if (options.EarliestEventTime < DateTimeOffset.UnixEpoch || options.EarliestEventTime > DateTimeOffset.UtcNow)
        {
            errors.Add("Gateway:EarliestEventTime must lie between 1970-01-01 and now.");
        }

        if (options.MaxSuspension < TimeSpan.FromMinutes(1) || options.MaxSuspension > TimeSpan.FromDays(3650))
        {
            errors.Add("Gateway:MaxSuspension must be between 1 minute and 3650 days.");
        }

        if (options.MinRequestBodyBytesPerSecond is < 1 or > 1024 * 1024 || options.MinRequestBodyGracePeriod < TimeSpan.FromSeconds(1))
        {
            errors.Add("Gateway:MinRequestBodyBytesPerSecond must be between 1 and 1048576 and Gateway:MinRequestBodyGracePeriod at least 1 second.");
        }

        if (options.RequestHeadersTimeout < TimeSpan.FromSeconds(1) || options.RequestHeadersTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add("Gateway:RequestHeadersTimeout must be between 1 second and 5 minutes.");
        }

        if (options.MaxConcurrentConnections < 16)
        {
            errors.Add("Gateway:MaxConcurrentConnections must be at least 16.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
