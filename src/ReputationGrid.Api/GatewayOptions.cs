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

        if (options.MaxFutureSkew < TimeSpan.Zero)
        {
            errors.Add("Gateway:MaxFutureSkew must not be negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
