using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Grpc;

namespace ReputationGrid.Api.Auth;

/// <summary>
/// Whether the gateway authenticates its callers, and who a caller is. Without any authentication configured (the
/// development default, allowed on loopback only) every caller is <see cref="Local"/>.
/// </summary>
public sealed class Callers(bool authenticates)
{
    /// <summary>The actor recorded for what a caller does while authentication is off.</summary>
    public const string Local = "local";

    public bool Authenticates { get; } = authenticates;

    /// <summary>Who the caller is: the API key's name or the token's name claim.</summary>
    public string Actor(HttpContext context) =>
        !Authenticates ? Local
        : context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
        : throw new InvalidOperationException("An endpoint that records its caller was reached without an authenticated caller.");
}

public static partial class GatewayAuth
{
    /// <summary>The scheme that picks the API-key or JWT scheme by the shape of the bearer token, when both are configured.</summary>
    public const string BearerScheme = "ApiKeyOrJwt";

    /// <summary>
    /// Authentication (API keys, JWTs or both, from section <c>Auth</c>), the role policies and per-caller rate limits, when configured; with
    /// neither, nothing is registered and <see cref="Callers"/> says so.
    /// </summary>
    public static IServiceCollection AddReputationGridAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        var auth = AuthOptions.Read(configuration);
        services.AddSingleton(new Callers(auth.IsConfigured));
        if (!auth.IsConfigured)
        {
            return services;
        }

        var keys = auth.Keys.Count > 0;
        var jwt = auth.Jwt.IsConfigured;
        var authentication = services.AddAuthentication(keys && jwt ? BearerScheme : keys ? ApiKeys.Scheme : JwtBearerDefaults.AuthenticationScheme);
        if (keys)
        {
            services.AddSingleton<ApiKeys>();
            services.AddTransient<ApiKeyHandler>();
            services.Configure<AuthenticationOptions>(options => options.AddScheme<ApiKeyHandler>(ApiKeys.Scheme, "API key"));
        }

        if (jwt)
        {
            authentication.AddJwtBearer(options =>
            {
                options.Authority = auth.Jwt.Authority;
                options.Audience = auth.Jwt.Audience;
                options.MapInboundClaims = false; // roles and name come from the claims configured, as the issuer names them
                options.TokenValidationParameters.NameClaimType = auth.Jwt.NameClaim;
                options.TokenValidationParameters.RoleClaimType = auth.Jwt.RoleClaim;
                options.Events = new JwtBearerEvents { OnTokenValidated = RequireName };
            });
        }

        if (keys && jwt)
        {
            authentication.AddPolicyScheme(BearerScheme, "API key or JWT", options =>
                options.ForwardDefaultSelector = context => BearerToken.IsJwt(context.Request) ? JwtBearerDefaults.AuthenticationScheme : ApiKeys.Scheme);
        }

        services.AddAuthorization(options =>
        {
            foreach (var (policy, roles) in ApiPolicies.RolesAdmitted)
            {
                options.AddPolicy(policy, builder => builder.RequireRole(roles));
            }
        });
        services.AddSingleton<IPolicyEvaluator, RolePolicyEvaluator>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationFailures>();
        if (auth.RateLimits.Count > 0)
        {
            services.AddRateLimiter(options => CallerRateLimits.Configure(options, auth.RateLimits));
        }

        return services;
    }

    /// <summary>
    /// Authentication, authorization and per-caller rate limits, when configured; otherwise logs that the gateway is open.
    /// Either way the pipeline says it has placed authentication and authorization: WebApplication otherwise puts its own
    /// in front of every request once their services exist (Razor Pages registers them), before load shedding, with
    /// nothing to enforce while the gateway is open and ahead of the API-key shortcut.
    /// </summary>
    public static IApplicationBuilder UseReputationGridAuth(this IApplicationBuilder app)
    {
        app.Properties[AuthenticationPlacedKey] = true;
        app.Properties[AuthorizationPlacedKey] = true;
        if (!app.ApplicationServices.GetRequiredService<Callers>().Authenticates)
        {
            LogOpen(app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayAuth).FullName!));
            return app;
        }

        if (app.ApplicationServices.GetService<ApiKeys>() is { } keys)
        {
            app.UseApiKeyShortcut(keys, jwt: app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value.Jwt.IsConfigured);
        }
        else
        {
            app.UseAuthentication();
        }

        app.UseAuthorization();
        if (app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value.RateLimits.Count > 0)
        {
            app.UseRateLimiter(); // after authorization: only calls a caller may make count against its limit
        }

        return app;
    }

    // The application properties by which UseAuthentication and UseAuthorization tell WebApplication that they were placed.
    private const string AuthenticationPlacedKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationPlacedKey = "__AuthorizationMiddlewareSet";

    /// <summary>Requires <paramref name="policy"/> of the endpoints when the gateway authenticates.</summary>
    public static TBuilder RequirePolicy<TBuilder>(this TBuilder builder, Callers callers, string policy)
        where TBuilder : IEndpointConventionBuilder =>
        callers.Authenticates ? builder.RequireAuthorization(policy) : builder;

    private static Task RequireName(TokenValidatedContext context)
    {
        if (context.Principal?.Identity?.Name is not { Length: > 0 })
        {
            context.Fail("The token has no name claim.");
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication is OFF: no API keys (Auth:Keys) and no JWT issuer (Auth:Jwt:Authority) are configured. Every caller may do everything and is recorded as 'local'. This is allowed only while every listen address is on loopback.")]
    private static partial void LogOpen(ILogger logger);
}

/// <summary>
/// ASP.NET Core's policy evaluator with a shortcut for API keys: a key holder's one role is checked against the policy's
/// roles directly, and its authentication result is the one made at start-up. The standard evaluator builds a ticket,
/// a result and an authorization context, and runs the authorization handlers, for every request.
/// </summary>
internal sealed class RolePolicyEvaluator(IAuthorizationService authorization) : PolicyEvaluator(authorization)
{
    private static readonly Task<PolicyAuthorizationResult> Allowed = Task.FromResult(PolicyAuthorizationResult.Success());

    public override Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context) =>
        policy.AuthenticationSchemes.Count == 0 && context.User is ApiKeyHolder holder ? holder.Authenticated : base.AuthenticateAsync(policy, context);

    public override Task<PolicyAuthorizationResult> AuthorizeAsync(
        AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource) =>
        context.User is ApiKeyHolder holder && Admits(policy, holder.Role) ? Allowed : base.AuthorizeAsync(policy, authenticationResult, context, resource);

    /// <summary>Whether each requirement of the policy is met by an authenticated caller holding <paramref name="role"/>; any other kind of requirement is left to the standard evaluation.</summary>
    private static bool Admits(AuthorizationPolicy policy, string role)
    {
        var requirements = policy.Requirements;
        for (var i = 0; i < requirements.Count; i++)
        {
            var met = requirements[i] switch
            {
                RolesAuthorizationRequirement roles => roles.AllowedRoles.Contains(role),
                DenyAnonymousAuthorizationRequirement => true,
                _ => false,
            };
            if (!met)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Answers a refused gRPC call with UNAUTHENTICATED or PERMISSION_DENIED as a trailers-only response; HTTP requests get
/// ASP.NET Core's 401 (with <c>WWW-Authenticate: Bearer</c>) or 403, which the status-code pages make problem details.
/// </summary>
internal sealed class AuthorizationFailures : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _http = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            if (GrpcFailures.TryWriteStatus(context, StatusCode.Unauthenticated, "Authentication is required: send Authorization: Bearer <token>."))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Task.CompletedTask;
            }
        }
        else if (authorizeResult.Forbidden
                 && GrpcFailures.TryWriteStatus(context, StatusCode.PermissionDenied, "The caller's role does not allow this call."))
        {
            return Task.CompletedTask;
        }

        return _http.HandleAsync(next, context, policy, authorizeResult);
    }
}
