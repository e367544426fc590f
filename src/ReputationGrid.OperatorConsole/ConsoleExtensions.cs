using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using ReputationGrid.Api.Auth;
using ReputationGrid.OperatorConsole.Session;

namespace ReputationGrid.OperatorConsole;

/// <summary>The operator console at <c>/console</c>, for any host that serves the gateway's API.</summary>
public static class ConsoleExtensions
{
    /// <summary>The console's pages, its session cookie and its antiforgery tokens.</summary>
    public static IServiceCollection AddReputationGridConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.SectionName));
        services.AddOptions<ConsoleOidcOptions>().Bind(configuration.GetSection(ConsoleOidcOptions.SectionName));
        services.AddRazorPages().AddApplicationPart(typeof(ConsoleExtensions).Assembly);
        if (AuthOptions.Read(configuration).IsConfigured)
        {
            AddSessions(services, configuration);
        }

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "rg-console-antiforgery";
            options.Cookie.Path = ConsoleGate.Root;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.TryAddSingleton<ConsoleGate>();
        return services;
    }

    /// <summary>
    /// Sessions of users signed in with an API key or, when configured, at the identity provider; while authentication
    /// is off everyone is local and there are none.
    /// </summary>
    private static void AddSessions(IServiceCollection services, IConfiguration configuration) =>
        ConsoleOidc.Add(services.AddAuthentication().AddCookie(ConsoleSession.Scheme, options =>
        {
            options.Cookie.Name = ConsoleSession.CookieName;
            options.Cookie.Path = ConsoleGate.Root;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = ConsoleSession.SignInPath;
            options.Events.OnValidatePrincipal = ConsoleSession.RecheckKeyAsync;
        }), configuration);

    /// <summary>The console's gate (session, headers, who may enter): after the gateway's own middleware, before the endpoints.</summary>
    public static IApplicationBuilder UseReputationGridConsole(this IApplicationBuilder app)
    {
        var gate = app.ApplicationServices.GetRequiredService<ConsoleGate>();
        return app.Use(next => context => gate.InvokeAsync(context, next));
    }

    /// <summary>The Orleans dashboard's client side, for a gateway whose silos run its grains, when <see cref="ConsoleOptions.Dashboard"/> is on.</summary>
    public static IClientBuilder AddConsoleDashboard(this IClientBuilder client, IConfiguration configuration)
    {
        if (configuration.GetSection(ConsoleOptions.SectionName).Get<ConsoleOptions>()?.Dashboard == true)
        {
            client.AddDashboard();
        }

        return client;
    }

    /// <summary>The console's pages, its stylesheet and, when <see cref="ConsoleOptions.Dashboard"/> is on, the Orleans dashboard.</summary>
    public static IEndpointRouteBuilder MapReputationGridConsole(this IEndpointRouteBuilder endpoints)
    {
        var stylesheet = ReadAsset("console.css");
        endpoints.MapGet(ConsoleGate.StylesheetPath, () => Results.Bytes(stylesheet, "text/css; charset=utf-8"));
        endpoints.MapRazorPages();
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<ConsoleOptions>>().Value.Dashboard)
        {
            endpoints.MapOrleansDashboard(routePrefix: ConsoleGate.DashboardPath); // the gate admits only roles that may watch the cluster
        }

        return endpoints;
    }

    private static byte[] ReadAsset(string name)
    {
        var assembly = typeof(ConsoleExtensions).Assembly;
        using var stream = assembly.GetManifestResourceStream($"{assembly.GetName().Name}.Assets.{name}")
            ?? throw new InvalidOperationException($"The console's asset {name} is not embedded.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
