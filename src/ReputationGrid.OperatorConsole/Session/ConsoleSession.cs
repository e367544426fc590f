using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Api.Auth;

namespace ReputationGrid.OperatorConsole.Session;

/// <summary>
/// Who is using the console: the holder of the API key they signed in with, kept in a session cookie. While the gateway
/// authenticates nobody (loopback only), everyone is <see cref="Callers.Local"/> with every role, as on the API.
/// </summary>
public static class ConsoleSession
{
    /// <summary>The cookie scheme of console sessions.</summary>
    public const string Scheme = "Console";

    public const string CookieName = "rg-console";

    public const string SignInPath = "/console/signin";

    /// <summary>The claim of a key's session that holds the key's SHA-256 (as configured), to check the key is still configured.</summary>
    private const string KeyHashClaim = "rg-console:key-sha256";

    /// <summary>Everyone while authentication is off.</summary>
    public static readonly ClaimsPrincipal Local = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, Callers.Local), new Claim(ClaimTypes.Role, Roles.Admin)], Scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>Whether the signed-in user's role admits them to <paramref name="policy"/> (one of <see cref="ApiPolicies"/>).</summary>
    public static bool May(this HttpContext context, string policy) =>
        ApiPolicies.RolesAdmitted[policy].Any(context.User.IsInRole);

    /// <summary>Starts a session for the holder of <paramref name="key"/>; false (and no session) for an unknown key or a role that may not use the console.</summary>
    public static async Task<bool> SignInAsync(HttpContext context, ApiKeys keys, string key)
    {
        if (keys.Find(key) is not { Identity.Name: { } name } holder
            || !ApiPolicies.RolesAdmitted[ApiPolicies.ReadAccounts].Any(holder.IsInRole))
        {
            return false;
        }

        var role = holder.FindFirstValue(ClaimTypes.Role)!;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var session = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim(KeyHashClaim, hash)], Scheme, ClaimTypes.Name, ClaimTypes.Role));
        await context.SignInAsync(Scheme, session);
        return true;
    }

    /// <summary>
    /// On every request of a key's session: ends it unless the key is still configured, under the same name and with the
    /// same role, as the API's keys are now (they follow a reloaded configuration), so that removing or re-roling a key
    /// takes effect at once and not when the 8-hour session runs out.
    /// </summary>
    public static async Task RecheckKeyAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(KeyHashClaim) is not { } hash)
        {
            return; // a session from the identity provider holds no key
        }

        // Without keys configured at start-up (an identity provider only) no key's session holds.
        var configured = context.HttpContext.RequestServices.GetService<ApiKeys>() is { } keys
            && keys.IsConfigured(hash, context.Principal.Identity?.Name, context.Principal.FindFirstValue(ClaimTypes.Role));
        if (!configured)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>Where to go after signing in: <paramref name="returnUrl"/> when it is a console page, the overview otherwise.</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { } url && url.StartsWith(ConsoleGate.Root, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? url : ConsoleGate.Root;
}
