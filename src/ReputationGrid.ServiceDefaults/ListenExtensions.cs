using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReputationGrid.ServiceDefaults;

public static class ListenExtensions
{
    /// <summary>
    /// Listens on <paramref name="url"/> unless the standard settings choose otherwise: <c>--urls</c>,
    /// <c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c> or Kestrel endpoints.
    /// </summary>
    public static WebApplicationBuilder ListenByDefaultOn(this WebApplicationBuilder builder, string url)
    {
        var configuration = builder.Configuration;
        var chosen = !string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!chosen)
        {
            builder.WebHost.UseUrls(url);
        }

        return builder;
    }

    /// <summary>The addresses the application listens on, once started.</summary>
    public static IReadOnlyCollection<string> Addresses(this WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
}
