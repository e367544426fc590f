using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReputationGrid.ServiceDefaults;

public static class ListenExtensions
{
    /// <summary>
    /// Listens where the standard settings say (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c>),
    /// else on <paramref name="url"/>; and, when <paramref name="grpcUrl"/> is given, on that address for
    /// gRPC too (HTTP/2 only: without TLS one port cannot offer both protocols). Explicit Kestrel endpoints
    /// in configuration replace all of this.
    /// </summary>
    public static WebApplicationBuilder ListenByDefaultOn(this WebApplicationBuilder builder, string url, string? grpcUrl = null)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            return builder;
        }

        var urls = configuration["urls"] is { Length: > 0 } configured ? configured
            : configuration["http_ports"] is { Length: > 0 } ports ? string.Join(';', ports.Split(';').Select(port => $"http://*:{port.Trim()}"))
            : url;
        var endpoints = new Dictionary<string, string?>();
        var index = 0;
        foreach (var address in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            endpoints[$"Kestrel:Endpoints:Http{index++}:Url"] = address;
        }

        if (!string.IsNullOrWhiteSpace(grpcUrl))
        {
            endpoints["Kestrel:Endpoints:Grpc:Url"] = grpcUrl;
            endpoints["Kestrel:Endpoints:Grpc:Protocols"] = "Http2";
        }

        configuration.AddInMemoryCollection(endpoints);
        return builder;
    }

    /// <summary>The addresses the application listens on, once started.</summary>
    public static IReadOnlyCollection<string> Addresses(this WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
}
