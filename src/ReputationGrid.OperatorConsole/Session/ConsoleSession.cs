using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
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
        var session = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], Scheme, ClaimTypes.Name, ClaimTypes.Role));
        await context.SignInAsync(Scheme, session);
        return true;
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);
}
