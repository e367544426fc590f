using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ReputationGrid.Api.Auth;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary>
/// The embedded host with an API key per role and a JWT issuer of the test's own. JwtBearer is given the issuer's
/// configuration (its signing key) up front rather than reading it from the authority's metadata, which the test does not serve.
/// </summary>
public class AuthenticatedGatewayFixture : GatewayFixture
{
    public TestTokenIssuer Issuer { get; } = new();

    /// <summary>One key per role, named after it ("sender-key" and so on).</summary>
    public IReadOnlyDictionary<string, TestApiKey> Keys { get; } =
        Roles.All.ToDictionary(role => role, role => TestApiKey.Create($"{role}-key", role));

    /// <summary>A token of the test's issuer for the subject <c>{role}-person</c> with that role.</summary>
    public string Token(string role) => Issuer.Token($"{role}-person", [role]);

    /// <summary>The credential of <paramref name="kind"/> ("key" or "jwt") for <paramref name="role"/>.</summary>
    public string Credential(string kind, string role) => kind == "key" ? Keys[role].Key : Token(role);

    protected override IEnumerable<string> ExtraArguments() =>
    [
        .. Keys.Values.SelectMany((key, index) => key.Arguments(index)),
        "--Auth:Jwt:Authority", TestTokenIssuer.Issuer,
        "--Auth:Jwt:Audience", TestTokenIssuer.Audience,
    ];

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = TestTokenIssuer.Issuer };
            configuration.SigningKeys.Add(Issuer.SigningKey);
            options.Configuration = configuration;
        });
}
