using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using ReputationGrid.Host;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary>The embedded host as the README runs it: no authentication configured, on loopback, with its logs collected.</summary>
public sealed class OpenGatewayFixture : GatewayFixture
{
    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddFakeLogging();
}

/// <summary>Without authentication configured the gateway runs open on loopback and says so, and refuses to run exposed.</summary>
public sealed class DevelopmentDefaultTests(OpenGatewayFixture gateway) : IClassFixture<OpenGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_loopback_without_authentication_it_runs_open_and_warns_at_start_up()
    {
        var warning = Assert.Single(gateway.Services.GetFakeLogCollector().GetSnapshot(), log => log.Message.Contains("Authentication is OFF"));

        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("'local'", warning.Message);
        // No authentication scheme is registered (the console's pages bring the authentication services, not a scheme):
        // no authentication middleware costs the open gateway anything.
        Assert.Empty(await gateway.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync());
    }

    [Fact]
    public async Task On_loopback_without_authentication_an_operator_action_is_recorded_as_local()
    {
        var (status, body, _) = await RoleTests.Send(gateway.Http, HttpMethod.Post, "/v1/accounts/open-banned/actions", null, """{"action": "ban"}""", Cancel);

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains("\"by\":\"local\"", body);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://127.0.0.1:0;http://[::]:0")]
    public async Task Without_authentication_it_refuses_to_listen_beyond_loopback_naming_Auth(string urls)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(["--urls", urls]));

        Assert.Contains("Auth:", failure.Message);
        Assert.Contains(urls.Split(';')[^1], failure.Message);
    }

    [Theory]
    [InlineData("Role", "superuser", "Auth:Keys:0:Role")]
    [InlineData("Sha256", "ABCDEF", "Auth:Keys:0:Sha256")]
    [InlineData("Name", "", "Auth:Keys:0:Name")]
    public async Task A_bad_key_stops_start_up_naming_it(string field, string value, string named)
    {
        var key = TestApiKey.Create("fe-1", "sender");
        string[] settings = ["--Auth:Keys:0:Name", key.Name, "--Auth:Keys:0:Role", key.Role, "--Auth:Keys:0:Sha256", key.Sha256];
        settings[Array.IndexOf(settings, $"--Auth:Keys:0:{field}") + 1] = value;

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(["--urls", "http://127.0.0.1:0", .. settings]));

        Assert.Contains(named, failure.Message);
    }

    private static async Task StartAsync(string[] arguments)
    {
        await using var app = EmbeddedHost.Create([.. arguments, "--Gateway:GrpcUrl", "", .. GatewayFixture.ClusterArguments()]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
