using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ReputationGrid.Api.Auth;

namespace ReputationGrid.OperatorConsole.Session;

/// <summary>
/// In front of everything under <c>/console</c>: security headers, the session's user, and who may come in. Pages need
/// a session with a role that may read accounts; the Orleans dashboard needs one that may watch the cluster.
/// </summary>
internal sealed class ConsoleGate(Callers callers)
{
    public const string Root = "/console";
    public const string DashboardPath = "/console/dashboard";
    public const string StylesheetPath = "/console/console.css";

    // Scripts only from the console itself (it ships none inline); forms post only to it; no framing.
    private static readonly StringValues ContentSecurityPolicy = new(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");

    /// <summary>Passes every request outside the console straight on, without an async state of its own: the API's requests pass here.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        context.Request.Path.StartsWithSegments(Root) ? GateAsync(context, next) : next(context);

    private async Task GateAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        var dashboard = path.StartsWithSegments(DashboardPath);
        var headers = context.Response.Headers;
        if (!dashboard)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy; // the dashboard ships its own scripts and styles
        }

        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";

        if (!callers.Authenticates)
        {
            context.User = ConsoleSession.Local;
        }
        else if ((await context.AuthenticateAsync(ConsoleSession.Scheme)).Principal is { } user)
        {
            context.User = user;
        }

        if (path.StartsWithSegments(ConsoleSession.SignInPath) || path.StartsWithSegments(StylesheetPath))
        {
            await next(context);
            return;
        }

        if (context.User.Identity?.AuthenticationType != ConsoleSession.Scheme)
        {
            var back = context.Request.PathBase + path + context.Request.QueryString;
            context.Response.Redirect($"{ConsoleSession.SignInPath}?returnUrl={Uri.EscapeDataString(back)}");
            return;
        }

        if (!context.May(dashboard ? ApiPolicies.WatchCluster : ApiPolicies.ReadAccounts))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        await next(context);
    }
}
