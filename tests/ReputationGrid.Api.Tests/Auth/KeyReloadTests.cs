using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ReputationGrid.Api.Auth;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary>Two sender keys and an operator key, with the logs collected; a test changes the configuration as it runs.</summary>
public sealed class ReloadedKeysGatewayFixture : GatewayFixture
{
    public TestApiKey Kept { get; } = TestApiKey.Create("fe-kept", Roles.Sender);

    public TestApiKey Removed { get; } = TestApiKey.Create("fe-removed", Roles.Sender);

    public TestApiKey Reroled { get; } = TestApiKey.Create("ops-reroled", Roles.Operator);

    protected override IEnumerable<string> ExtraArguments() => [.. Kept.Arguments(0), .. Removed.Arguments(1), .. Reroled.Arguments(2)];

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddFakeLogging();

    /// <summary>Adds <paramref name="values"/> over the configuration, as an edited configuration file is reloaded.</summary>
    public void Reconfigure(Dictionary<string, string?> values) =>
        ((IConfigurationBuilder)Services.GetRequiredService<IConfiguration>()).Add(new MemoryConfigurationSource { InitialData = values });

    public IReadOnlyList<FakeLogRecord> KeyLogs() =>
        [.. Services.GetFakeLogCollector().GetSnapshot().Where(record => record.Category == typeof(ApiKeys).FullName)];
}

/// <summary>The API's keys follow the configuration as it is reloaded, without a restart.</summary>
public sealed class KeyReloadTests(ReloadedKeysGatewayFixture gateway) : IClassFixture<ReloadedKeysGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<HttpStatusCode> CheckAsync(TestApiKey key) =>
        (await RoleTests.Send(gateway.Http, HttpMethod.Post, "/v1/decisions/send", key.Key, """{"account": "reloaded", "recipient": "b", "recipientIsContact": true}""", Cancel)).Status;

    private async Task<HttpStatusCode> ReadAsync(TestApiKey key) =>
        (await RoleTests.Send(gateway.Http, HttpMethod.Get, "/v1/accounts/reloaded", key.Key, null, Cancel)).Status;

    [Fact]
    public async Task Removed_added_and_re_roled_keys_take_effect_at_the_next_request_and_an_invalid_reload_changes_nothing()
    {
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(gateway.Removed));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(gateway.Reroled));

        // Options validation also throws to whoever reloads; a reloaded file is reloaded on a background task.
        _ = Record.Exception(() => gateway.Reconfigure(new() { ["Auth:Keys:1:Role"] = "nobody" }));
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(gateway.Removed));
        Assert.Contains(gateway.KeyLogs(), record => record.Level == LogLevel.Error && record.Message.Contains("Auth:Keys:1:Role", StringComparison.Ordinal));

        var added = TestApiKey.Create("fe-added", Roles.Sender);
        gateway.Reconfigure(new()
        {
            ["Auth:Keys:1:Role"] = Roles.Sender,
            ["Auth:Keys:1:Name"] = added.Name,
            ["Auth:Keys:1:Sha256"] = added.Sha256,
            ["Auth:Keys:2:Role"] = Roles.Auditor,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, await CheckAsync(gateway.Removed));
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(added));
        Assert.Equal(HttpStatusCode.OK, await CheckAsync(gateway.Kept));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(gateway.Reroled));
        Assert.Equal(HttpStatusCode.Forbidden, (await RoleTests.Send(gateway.Http, HttpMethod.Post, "/v1/accounts/reloaded/actions", gateway.Reroled.Key,
            """{"action": "allowlist", "note": "reload test"}""", Cancel)).Status);
    }
}
