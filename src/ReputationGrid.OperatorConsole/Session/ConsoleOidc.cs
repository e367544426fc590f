using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ReputationGrid.Api.Auth;

namespace ReputationGrid.OperatorConsole.Session;

/// <summary>
/// Signing in to the console with the platform's identity provider (section <c>Auth:Oidc</c>): an OpenID Connect
/// authorization-code sign-in (with PKCE) at the issuer the API trusts (<c>Auth:Jwt:Authority</c>), its roles and name
/// read from the claims the API reads them from (<c>Auth:Jwt:RoleClaim</c>, <c>Auth:Jwt:NameClaim</c>).
/// </summary>
public sealed class ConsoleOidcOptions
{
    public const string SectionName = "Auth:Oidc";

    /// <summary>The console's client id at the identity provider; sign-in with it is on when set.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client's secret, for a provider that wants one for a confidential client.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Whether the provider's metadata must come over HTTPS; turn off only for a provider on loopback (tests, development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public static ConsoleOidcOptions Read(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<ConsoleOidcOptions>() ?? new ConsoleOidcOptions();
}

public static class ConsoleOidc
{
    /// <summary>The OpenID Connect scheme of the console's sign-in.</summary>
    public const string Scheme = "ConsoleOidc";

    /// <summary>Where the provider sends the browser back; under the sign-in page, which the console's gate lets through.</summary>
    public const string CallbackPath = "/console/signin/oidc";

    /// <summary>Adds the sign-in when <c>Auth:Oidc:ClientId</c> is set; it needs <c>Auth:Jwt:Authority</c>.</summary>
    public static void Add(AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var oidc = ConsoleOidcOptions.Read(configuration);
        var jwt = AuthOptions.Read(configuration).Jwt;
        if (string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            return;
        }

        if (!jwt.IsConfigured)
        {
            throw new InvalidOperationException("Auth:Oidc:ClientId is set without Auth:Jwt:Authority: the console signs in at the identity provider the API trusts.");
        }

        authentication.AddOpenIdConnect(Scheme, "Identity provider", options =>
        {
            options.SignInScheme = ConsoleSession.Scheme;
            options.Authority = jwt.Authority;
            options.ClientId = oidc.ClientId;
            options.ClientSecret = oidc.ClientSecret;
            options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            options.CallbackPath = CallbackPath;
            // The provider sends the browser back with a GET, so the correlation and nonce cookies can be SameSite=Lax and
            // need no HTTPS; they live only for the sign-in.
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.CorrelationCookie.SameSite = options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.MapInboundClaims = false; // roles and name come from the claims configured, as the issuer names them
            options.TokenValidationParameters.NameClaimType = jwt.NameClaim;
            options.TokenValidationParameters.RoleClaimType = jwt.RoleClaim;
            options.SaveTokens = false;
            options.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = context => StartSession(context, jwt),
                OnTicketReceived = LandAsync,
                OnRemoteFailure = context =>
                {
                    context.Response.Redirect($"{ConsoleSession.SignInPath}?refused=idp");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>The console's session for the person the provider names, with the roles it gives them that the API knows; refused without a name or a role that may use the console.</summary>
    private static Task StartSession(TokenValidatedContext context, JwtOptions jwt)
    {
        var person = context.Principal!;
        var name = person.FindFirstValue(jwt.NameClaim);
        var roles = person.FindAll(jwt.RoleClaim).Select(claim => claim.Value).Where(Roles.IsKnown).Distinct().ToList();
        if (string.IsNullOrEmpty(name) || !roles.Exists(ApiPolicies.RolesAdmitted[ApiPolicies.ReadAccounts].Contains))
        {
            context.Fail("The identity provider gave no name, or no role that may use the console.");
            return Task.CompletedTask;
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. roles.Select(role => new Claim(ClaimTypes.Role, role))], ConsoleSession.Scheme, ClaimTypes.Name, ClaimTypes.Role));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts the session and lands on a page of the console's own that moves on to where the user was going: a redirect
    /// would continue the provider's cross-site navigation, on which the browser withholds the SameSite=Strict session cookie.
    /// </summary>
    private static async Task LandAsync(TicketReceivedContext context)
    {
        await context.HttpContext.SignInAsync(ConsoleSession.Scheme, context.Principal!, context.Properties);
        context.HandleResponse();
        var target = HtmlEncoder.Default.Encode(ConsoleSession.LocalReturnUrl(context.ReturnUri));
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta http-equiv=\"refresh\" content=\"0;url={target}\"><title>Signed in</title></head><body><a href=\"{target}\">Continue</a></body></html>");
    }
}
