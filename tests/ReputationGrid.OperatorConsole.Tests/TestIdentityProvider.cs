using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReputationGrid.ServiceDefaults;

namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>
/// A minimal OpenID Connect provider of the test's own on loopback: discovery, its signing key (JWKS), an authorize
/// endpoint that signs in whoever the test says at once, and a token endpoint that checks the code and its PKCE verifier.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "console-test-key" };
    private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private WebApplication? _app;

    /// <summary>Who the next sign-in is: the subject and the roles the provider gives them.</summary>
    public (string Subject, string[] Roles) NextPerson { get; set; } = ("person", []);

    public string Issuer { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = $"{Issuer}/authorize",
            ["token_endpoint"] = $"{Issuer}/token",
            ["jwks_uri"] = $"{Issuer}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        _app.MapGet("/jwks", () =>
        {
            var key = _key.Rsa.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = _key.KeyId, n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) } } });
        });
        _app.MapGet("/authorize", (HttpRequest request) =>
        {
            var query = request.Query;
            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
            _grants[code] = new Grant(query["client_id"]!, query["redirect_uri"]!, query["nonce"]!, query["code_challenge"]!, NextPerson.Subject, NextPerson.Roles);
            return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"]!)}");
        });
        _app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (!_grants.TryRemove(form["code"].ToString(), out var grant)
                || form["redirect_uri"] != grant.RedirectUri
                || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.CodeChallenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = grant.ClientId,
                Claims = new Dictionary<string, object> { ["sub"] = grant.Subject, ["roles"] = grant.Roles, ["nonce"] = grant.Nonce },
                Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new { access_token = "not-used", token_type = "Bearer", expires_in = 300, id_token = idToken });
        });
        await _app.StartAsync();
        Issuer = _app.Addresses().Single();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _key.Rsa.Dispose();
    }

    private sealed record Grant(string ClientId, string RedirectUri, string Nonce, string CodeChallenge, string Subject, string[] Roles);
}

/// <summary>The console's host with sign-in at a <see cref="TestIdentityProvider"/>, beside the API keys of <see cref="ConsoleFixture"/>.</summary>
public sealed class IdentityProviderConsoleFixture : ConsoleFixture
{
    public const string ClientId = "reputationgrid-console";

    public TestIdentityProvider Provider { get; } = new();

    protected override async ValueTask<IEnumerable<string>> ExtraArgumentsAsync()
    {
        await Provider.StartAsync();
        return
        [
            "--Auth:Jwt:Authority", Provider.Issuer,
            "--Auth:Jwt:Audience", "reputationgrid",
            "--Auth:Oidc:ClientId", ClientId,
            "--Auth:Oidc:RequireHttpsMetadata", "false",
        ];
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
