using System.Net;
using System.Text.Json.Nodes;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Tests.Auth;

namespace ReputationGrid.Api.Tests.Evidence;

/// <summary><c>GET /v1/accounts/{id}/enforcement</c>: an account's complete enforcement record, a page at a time.</summary>
public sealed class EnforcementApiTests(AuthenticatedGatewayFixture gateway) : IClassFixture<AuthenticatedGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path)
    {
        var (status, text, _) = await RoleTests.Send(gateway.Http, HttpMethod.Get, path, gateway.Keys[Roles.Auditor].Key, null, Cancel);
        return (status, JsonNode.Parse(text));
    }

    [Fact]
    public async Task Operator_actions_read_back_newest_first_with_operator_note_and_policy_a_page_at_a_time()
    {
        var operatorKey = gateway.Keys[Roles.Operator].Key;
        foreach (var (action, note) in new[] { ("ban", "sells bulk sends"), ("clear", "appeal upheld"), ("ban", "again") })
        {
            var (status, _, _) = await RoleTests.Send(
                gateway.Http, HttpMethod.Post, "/v1/accounts/enf-api/actions", operatorKey, $$"""{"action": "{{action}}", "note": "{{note}}"}""", Cancel);
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var (first, page) = await GetAsync("/v1/accounts/enf-api/enforcement?limit=2");
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal("enf-api", (string?)page!["account"]);
        var entries = page["entries"]!.AsArray();
        Assert.Equal(["ban", "allow"], entries.Select(e => (string?)e!["action"]));
        Assert.Equal(["again", "appeal upheld"], entries.Select(e => (string?)e!["note"]));
        Assert.All(entries, e => Assert.Equal("operator-key", (string?)e!["by"]));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty((string?)e!["policyVersion"])));
        Assert.Equal(["operator_ban"], entries[0]!["reasons"]!.AsArray().Select(r => (string?)r));
        Assert.NotNull(entries[0]!["features"]!["attempts1m"]);

        var (_, rest) = await GetAsync($"/v1/accounts/enf-api/enforcement?limit=2&cursor={(string?)page["next"]}");
        Assert.Equal(["sells bulk sends"], rest!["entries"]!.AsArray().Select(e => (string?)e!["note"]));
        Assert.Null(rest["next"]);
    }

    [Theory]
    [InlineData("/v1/accounts/enf%20bad/enforcement", "id")]
    [InlineData("/v1/accounts/enf-api/enforcement?limit=0", "limit")]
    [InlineData("/v1/accounts/enf-api/enforcement?cursor=x", "cursor")]
    public async Task A_bad_request_is_answered_400_naming_the_field(string path, string field)
    {
        var (status, body) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]![field]);
    }
}
