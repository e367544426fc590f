using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ReputationGrid.Api.Tests;

/// <summary>The entity endpoints and the account's links, through the real stack.</summary>
public sealed class EntityApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    /// <summary>How long an entity ban may take to reach its listed accounts: a report batch, then a push.</summary>
    private static readonly TimeSpan StalenessBound = TimeSpan.FromSeconds(5);

    private static readonly string Now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, string json)
    {
        var response = await gateway.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Cancel);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!);
    }

    private async Task<JsonNode> GetAsync(string path) => JsonNode.Parse(await gateway.Http.GetStringAsync(path, Cancel))!;

    private async Task<JsonNode> EventuallyAsync(string path, Func<JsonNode, bool> holds, string what)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            var body = await GetAsync(path);
            if (holds(body))
            {
                return body;
            }

            Assert.True(started.Elapsed < StalenessBound, $"{what} did not hold within {StalenessBound}: {body}");
            await Task.Delay(50, Cancel);
        }
    }

    [Fact]
    public async Task An_entity_ban_reaches_its_linked_accounts_and_shows_on_both_sides()
    {
        var (status, _) = await PostAsync("/v1/events", $$"""
            {"events": [
              {"type": "account_registered", "account": "api-link-1", "deviceId": "api-phone", "ipPrefix": "10.9.8", "at": "{{Now}}"},
              {"type": "session_started", "account": "api-link-2", "deviceId": "api-phone", "at": "{{Now}}"}
            ]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);

        var account = await GetAsync("/v1/accounts/api-link-1");
        Assert.Equal(["device/api-phone", "network/10.9.8"], account["links"]!.AsArray().Select(link => (string)link!["entity"]!));

        var entity = await EventuallyAsync("/v1/entities/device/api-phone?limit=1", e => (double)e["linkedAccounts"]! == 2, "both accounts listed");
        var first = (string)Assert.Single(entity["accounts"]!.AsArray())!["account"]!;
        var second = (string)Assert.Single((await GetAsync("/v1/entities/device/api-phone?offset=1&limit=5"))["accounts"]!.AsArray())!["account"]!;
        Assert.Equal(["api-link-1", "api-link-2"], new[] { first, second }.Order());
        Assert.Empty(entity["reasons"]!.AsArray());

        (status, var banned) = await PostAsync("/v1/entities/device/api-phone/actions", """{"action": "ban", "note": "farm"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True((bool)banned["banned"]!);
        Assert.Equal("local", (string)banned["history"]![0]!["by"]!); // the caller: the development default's actor

        foreach (var id in new[] { "api-link-1", "api-link-2" })
        {
            var view = await EventuallyAsync($"/v1/accounts/{id}", a => (string)a["action"]! == "ban", $"{id} banned");
            // The ban is the entity's; the policy may record its own view of the account after it.
            Assert.Contains(view["history"]!.AsArray(), entry => (string)entry!["by"]! == "entity:device/api-phone" && (string)entry["action"]! == "ban");
        }
    }

    [Fact]
    public async Task Unknown_kinds_and_account_only_commands_are_rejected()
    {
        var response = await gateway.Http.GetAsync("/v1/entities/planet/earth", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var (status, _) = await PostAsync("/v1/entities/device/x/actions", """{"action": "allowlist", "note": "r"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
