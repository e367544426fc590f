using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ReputationGrid.Api.Auth;

/// <summary>
/// The configured API keys, each with its holder and the authentication result its holder gets: a request presenting a
/// key costs a SHA-256 of it on the stack and a constant-time comparison with every configured hash. The keys follow the
/// configuration when it is reloaded, so that removing a key takes effect without a restart; a reloaded configuration
/// that does not validate is logged and leaves the keys as they were.
/// </summary>
public sealed partial class ApiKeys : IDisposable
{
    public const string Scheme = "ApiKey";

    /// <summary>Longer presented keys are refused unhashed; generated keys have 43 characters.</summary>
    private const int MaxKeyLength = 256;

    private static readonly Task<AuthenticateResult> Unknown = Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
    private static readonly Task<AuthenticateResult> Absent = Task.FromResult(AuthenticateResult.NoResult());

    private readonly IOptionsFactory<AuthOptions> _factory;
    private readonly ILogger<ApiKeys> _logger;
    private readonly IDisposable[] _reloads;

    // Replaced whole on a reload, so that a request always sees one consistent set.
    private volatile KeySet _keys;

    public ApiKeys(IOptionsFactory<AuthOptions> factory, IEnumerable<IOptionsChangeTokenSource<AuthOptions>> sources, ILogger<ApiKeys> logger)
    {
        _factory = factory;
        _logger = logger;
        _keys = new KeySet(factory.Create(Options.DefaultName).Keys);
        // The factory binds and validates afresh, so this does not depend on the order in which options monitors hear of the change.
        _reloads = sources.Select(source => ChangeToken.OnChange(source.GetChangeToken, Reload)).ToArray();
    }

    public void Dispose()
    {
        foreach (var reload in _reloads)
        {
            reload.Dispose();
        }
    }

    /// <summary>Whether a key with this SHA-256 (lowercase hex), name and role is configured now.</summary>
    public bool IsConfigured(string sha256, string? name, string? role)
    {
        var keys = _keys;
        for (var i = 0; i < keys.Holders.Length; i++)
        {
            if (keys.Holders[i].Sha256 == sha256 && keys.Holders[i].Identity!.Name == name && keys.Holders[i].Role == role)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The result for a request's <c>Authorization: Bearer</c> token: its key's holder, a failure, or none when no bearer token came.</summary>
    public Task<AuthenticateResult> Authenticate(HttpRequest request)
    {
        if (!BearerToken.TryRead(request, out var token))
        {
            return Absent;
        }

        var keys = _keys;
        var index = keys.IndexOf(token);
        return index < 0 ? Unknown : keys.Holders[index].Authenticated;
    }

    /// <summary>The holder of <paramref name="key"/> (its name and role), or null when it is not a configured key.</summary>
    public ApiKeyHolder? Find(ReadOnlySpan<char> key)
    {
        var keys = _keys;
        var index = keys.IndexOf(key);
        return index < 0 ? null : keys.Holders[index];
    }

    private void Reload()
    {
        try
        {
            var keys = new KeySet(_factory.Create(Options.DefaultName).Keys);
            _keys = keys;
            LogReloaded(_logger, keys.Holders.Length);
        }
        catch (OptionsValidationException invalid)
        {
            LogInvalidReload(_logger, invalid.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys reloaded: {Count} configured.")]
    private static partial void LogReloaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The reloaded configuration of Auth does not validate; the API keys stay as they were: {Errors}")]
    private static partial void LogInvalidReload(ILogger logger, string errors);

    /// <summary>One consistent set of keys: their hashes and, at the same index, their holders.</summary>
    private sealed class KeySet(List<ApiKeyOptions> keys)
    {
        private readonly byte[][] _hashes = keys.Select(key => Convert.FromHexString(key.Sha256)).ToArray();

        public ApiKeyHolder[] Holders { get; } = keys.Select(key => new ApiKeyHolder(key)).ToArray();

        public int IndexOf(ReadOnlySpan<char> token)
        {
            if (token.Length > MaxKeyLength)
            {
                return -1;
            }

            Span<byte> utf8 = stackalloc byte[MaxKeyLength * 3];
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(token, utf8)], hash);
            var found = -1;
            for (var i = 0; i < _hashes.Length; i++)
            {
                // Every hash is compared, in constant time, so the time taken says nothing about which key came close.
                if (CryptographicOperations.FixedTimeEquals(hash, _hashes[i]))
                {
                    found = i;
                }
            }

            return found;
        }
    }
}

/// <summary>Reads the token of an <c>Authorization: Bearer &lt;token&gt;</c> header.</summary>
internal static class BearerToken
{
    private const string Prefix = "Bearer ";

    public static bool TryRead(HttpRequest request, out ReadOnlySpan<char> token)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            token = default;
            return false;
        }

        token = value.AsSpan(Prefix.Length).Trim();
        return token.Length > 0;
    }

    /// <summary>A JWT has three dot-separated parts; an API key (base64url) has no dot.</summary>
    public static bool IsJwt(HttpRequest request) => TryRead(request, out var token) && token.Contains('.');
}

/// <summary>
/// The holder of a configured API key as the request's user: its name and role as claims, and the successful
/// authentication result, both made once so that requests presenting the key allocate neither.
/// </summary>
public sealed class ApiKeyHolder : ClaimsPrincipal
{
    public ApiKeyHolder(ApiKeyOptions key)
        : base(new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], ApiKeys.Scheme, ClaimTypes.Name, ClaimTypes.Role))
    {
        Role = key.Role;
        Sha256 = key.Sha256;
        Authenticated = Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(this, ApiKeys.Scheme)));
    }

    /// <summary>The key's one role.</summary>
    public string Role { get; }

    /// <summary>The key's SHA-256 as configured (lowercase hex).</summary>
    public string Sha256 { get; }

    public Task<AuthenticateResult> Authenticated { get; }
}

/// <summary>
/// Sets the holder of a valid API key as the request's user before ASP.NET Core's authentication middleware runs, which
/// then runs only for the other requests (JWTs, unknown keys, no token). The middleware would resolve the authentication
/// service, the handler and their request scope, and copy the key's result into a new one, for every send check.
/// </summary>
internal static class ApiKeyShortcut
{
    public static IApplicationBuilder UseApiKeyShortcut(this IApplicationBuilder app, ApiKeys keys, bool jwt)
    {
        app.Use(next => context =>
        {
            // With JWTs accepted too, a token with a dot is a JWT and left to the scheme that reads it.
            if (BearerToken.TryRead(context.Request, out var token) && !(jwt && token.Contains('.')) && keys.Find(token) is { } holder)
            {
                context.User = holder;
            }

            return next(context);
        });
        return app.UseWhen(context => context.User is not ApiKeyHolder, standard => standard.UseAuthentication());
    }
}

/// <summary>
/// The API-key scheme. It implements <see cref="IAuthenticationHandler"/> directly: the base handler's per-request set-up
/// (options and logger look-ups) would cost the send check more than the key's hash does.
/// </summary>
internal sealed class ApiKeyHandler(ApiKeys keys) : IAuthenticationHandler
{
    private HttpContext _context = null!;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync() => keys.Authenticate(_context.Request);

    public Task ChallengeAsync(AuthenticationProperties? properties)
    {
        _context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        _context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return Task.CompletedTask;
    }

    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        _context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
