using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ReputationGrid.Api.Auth;

/// <summary>Who may call the gateway (configuration section <c>Auth</c>): API keys, a JWT issuer, and per-role rate limits.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>API keys, each by the SHA-256 of the key: the key itself is never stored.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Requests per caller, by role; a role without an entry is not limited.</summary>
    public Dictionary<string, RateLimitOptions> RateLimits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The options as configured (section <see cref="SectionName"/>), for what is decided while services are added.</summary>
    public static AuthOptions Read(IConfiguration configuration) => configuration.GetSection(SectionName).Get<AuthOptions>() ?? new AuthOptions();

    /// <summary>Whether any way to authenticate is configured; without one the gateway runs open, on loopback only.</summary>
    public bool IsConfigured => Keys.Count > 0 || Jwt.IsConfigured;
}

public sealed class ApiKeyOptions
{
    /// <summary>Who the key belongs to: the actor recorded for what its holder does.</summary>
    public string Name { get; set; } = "";

    public string Role { get; set; } = "";

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes.</summary>
    public string Sha256 { get; set; } = "";
}

public sealed class JwtOptions
{
    /// <summary>The identity provider's issuer URL; its signing keys are read from its OpenID Connect metadata.</summary>
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>The claim that carries the caller's roles.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that names the caller: the actor recorded for what they do.</summary>
    public string NameClaim { get; set; } = "sub";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>A token bucket per caller: <see cref="PermitsPerSecond"/> refilled every second, up to <see cref="Burst"/>.</summary>
public sealed class RateLimitOptions
{
    public int PermitsPerSecond { get; set; }

    /// <summary>Requests a caller may make at once after being idle; defaults to one second's permits.</summary>
    public int? Burst { get; set; }
}

/// <summary>
/// Checks <see cref="AuthOptions"/>, naming the offending key; and refuses to run without authentication unless every
/// listen address is on loopback, so that an open gateway is never exposed by accident.
/// </summary>
internal sealed class AuthOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var at = $"Auth:Keys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                errors.Add($"{at}:Name is required.");
            }

            if (!Roles.IsKnown(key.Role))
            {
                errors.Add($"{at}:Role must be one of {string.Join(", ", Roles.All)}; got '{key.Role}'.");
            }

            if (!IsLowercaseHexSha256(key.Sha256))
            {
                errors.Add($"{at}:Sha256 must be the lowercase hex SHA-256 of the key (64 characters of 0-9 a-f).");
            }
        }

        foreach (var duplicate in options.Keys.GroupBy(key => key.Name, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            errors.Add($"Auth:Keys: the name '{duplicate.Key}' is used by more than one key.");
        }

        if (options.Jwt.IsConfigured && string.IsNullOrWhiteSpace(options.Jwt.Audience))
        {
            errors.Add("Auth:Jwt:Audience is required with Auth:Jwt:Authority.");
        }

        foreach (var (role, limit) in options.RateLimits)
        {
            if (!Roles.IsKnown(role))
            {
                errors.Add($"Auth:RateLimits:{role}: not a role; the roles are {string.Join(", ", Roles.All)}.");
            }

            if (limit.PermitsPerSecond < 1 || limit.Burst < 1)
            {
                errors.Add($"Auth:RateLimits:{role}: PermitsPerSecond and Burst must be at least 1.");
            }
        }

        if (!options.IsConfigured && ExposedAddresses() is { Count: > 0 } exposed)
        {
            errors.Add($"Auth: no API keys (Auth:Keys) and no JWT issuer (Auth:Jwt:Authority) are configured, and the gateway listens beyond loopback ({string.Join(", ", exposed)}). Configure authentication, or listen on 127.0.0.1 only.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The configured listen addresses that are not on loopback (every deployable names its endpoints in <c>Kestrel:Endpoints</c>).</summary>
    private List<string> ExposedAddresses()
    {
        var exposed = new List<string>();
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { } url && !IsLoopback(url))
            {
                exposed.Add(url);
            }
        }

        return exposed;
    }

    private static bool IsLoopback(string url)
    {
        var host = BindingAddress.Parse(url).Host;
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static bool IsLowercaseHexSha256(string? hex) =>
        hex is { Length: 64 } && hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
