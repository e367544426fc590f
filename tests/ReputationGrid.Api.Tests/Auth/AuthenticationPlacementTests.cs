using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Api.Auth;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary>
/// Records, for each request that carries a probe id, whether ASP.NET Core's authentication middleware ran for it (it
/// sets <see cref="IAuthenticationFeature"/>), as its response starts: around the whole pipeline, WebApplication's own
/// middleware included.
/// </summary>
public sealed class AuthenticationProbe : IStartupFilter
{
    public const string Header = "x-test-probe";

    private readonly ConcurrentDictionary<string, bool> _authenticated = new();

    public bool Authenticated(string probe) => _authenticated[probe];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            if (context.Request.Headers[Header] is [{ } probe])
            {
                context.Response.OnStarting(() =>
                {
                    _authenticated[probe] = context.Features.Get<IAuthenticationFeature>() is not null;
                    return Task.CompletedTask;
                });
            }

            return following(context);
        });
        next(app);
    };

    /// <summary>Sends a send check with a probe id and <paramref name="bearer"/>; returns its status and whether authentication ran for it.</summary>
    public async Task<(HttpStatusCode Status, bool Authenticated)> SendCheckAsync(HttpClient http, string? bearer, CancellationToken cancellationToken)
    {
        var probe = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/decisions/send")
        {
            Content = new StringContent("""{"account": "placement-a", "recipient": "b", "recipientIsContact": true}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(Header, probe);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, Authenticated(probe));
    }
}

public sealed class ProbedGatewayFixture : GatewayFixture
{
    public AuthenticationProbe Probe { get; } = new();

    protected override void Configure(WebApplicationBuilder builder) => builder.Services.AddSingleton<IStartupFilter>(Probe);
}

public sealed class ProbedAuthenticatedGatewayFixture : AuthenticatedGatewayFixture
{
    public AuthenticationProbe Probe { get; } = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        base.Configure(builder);
        builder.Services.AddSingleton<IStartupFilter>(Probe);
    }
}

/// <summary>An open gateway authenticates nobody: WebApplication's own authentication middleware is not in its pipeline.</summary>
public sealed class OpenGatewayAuthenticationTests(ProbedGatewayFixture gateway) : IClassFixture<ProbedGatewayFixture>
{
    [Fact]
    public async Task A_send_check_to_an_open_gateway_runs_no_authentication()
    {
        var (status, authenticated) = await gateway.Probe.SendCheckAsync(gateway.Http, bearer: null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(authenticated);
    }
}

/// <summary>An API key's holder is admitted without ASP.NET Core's authentication middleware; every other caller goes through it.</summary>
public sealed class ApiKeyShortcutTests(ProbedAuthenticatedGatewayFixture gateway) : IClassFixture<ProbedAuthenticatedGatewayFixture>
{
    [Fact]
    public async Task A_send_check_with_a_valid_key_runs_no_authentication_middleware()
    {
        var (status, authenticated) = await gateway.Probe.SendCheckAsync(gateway.Http, gateway.Keys[Roles.Sender].Key, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(authenticated);
    }

    [Fact]
    public async Task A_send_check_with_a_token_or_none_is_authenticated_by_the_middleware()
    {
        var withToken = await gateway.Probe.SendCheckAsync(gateway.Http, gateway.Token(Roles.Sender), TestContext.Current.CancellationToken);
        var withNone = await gateway.Probe.SendCheckAsync(gateway.Http, bearer: null, TestContext.Current.CancellationToken);
        var withUnknownKey = await gateway.Probe.SendCheckAsync(gateway.Http, TestApiKey.Create("stranger", Roles.Sender).Key, TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode.OK, true), withToken);
        Assert.Equal((HttpStatusCode.Unauthorized, true), withNone);
        Assert.Equal((HttpStatusCode.Unauthorized, true), withUnknownKey);
    }
}
