using System.Net;
using System.Text.Json.Nodes;
using ReputationGrid.Api.Auth;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary>Operator actions are recorded with who, when, what and from where, and auditors read them back page by page.</summary>
public sealed class AuditTrailTests(AuthenticatedGatewayFixture gateway) : IClassFixture<AuthenticatedGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<JsonNode> ActAsync(string credential, string account, string body)
    {
        var (status, text, _) = await RoleTests.Send(gateway.Http, HttpMethod.Post, $"/v1/accounts/{account}/actions", credential, body, Cancel);
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonNode> AuditAsync(string query)
    {
        var (status, text, _) = await RoleTests.Send(gateway.Http, HttpMethod.Get, $"/v1/audit?{query}", gateway.Keys[Roles.Auditor].Key, null, Cancel);
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task An_action_is_recorded_with_the_callers_identity_time_address_and_details()
    {
        var before = DateTimeOffset.UtcNow;
        var until = before.AddHours(3).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var view = await ActAsync(gateway.Keys[Roles.Operator].Key, "audit-a", $$"""{"action": "suspend", "note": "spam reports", "until": "{{until}}"}""");
        await ActAsync(gateway.Token(Roles.Admin), "audit-a", """{"action": "clear"}""");

        var audit = await AuditAsync("account=audit-a");

        Assert.Equal("operator-key", view["history"]![0]!["by"]!.GetValue<string>());
        Assert.Equal("account/audit-a", audit["subject"]!.GetValue<string>());
        Assert.Null(audit["next"]);
        var entries = audit["entries"]!.AsArray();
        Assert.Equal(["admin-person", "operator-key"], entries.Select(e => e!["actor"]!.GetValue<string>()));
        Assert.Equal(["account.clear", "account.suspend"], entries.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal([1L, 0L], entries.Select(e => e!["sequence"]!.GetValue<long>()));
        var suspension = entries[1]!;
        Assert.Equal("spam reports", suspension["details"]!["note"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse(until), DateTimeOffset.Parse(suspension["details"]!["until"]!.GetValue<string>()));
        Assert.Equal("127.0.0.1", suspension["address"]!.GetValue<string>());
        Assert.InRange(suspension["at"]!.GetValue<DateTimeOffset>(), before, DateTimeOffset.UtcNow);
        Assert.Empty(entries[0]!["details"]!.AsObject());
    }

    [Fact]
    public async Task The_trail_is_read_newest_first_a_page_at_a_time_with_a_cursor()
    {
        const int actions = 70;
        for (var i = 0; i < actions; i++)
        {
            await ActAsync(gateway.Keys[Roles.Operator].Key, "audit-many", $$"""{"action": "allowlist", "note": "n{{i}}"}""");
        }

        var notes = new List<string>();
        string? cursor = null;
        do
        {
            var page = await AuditAsync(cursor is null ? "account=audit-many&limit=30" : $"account=audit-many&limit=30&cursor={cursor}");
            notes.AddRange(page["entries"]!.AsArray().Select(e => e!["details"]!["note"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, actions).Reverse().Select(i => $"n{i}"), notes);
    }

    [Fact]
    public async Task An_entity_action_is_read_back_from_the_entitys_trail()
    {
        var (status, _, _) = await RoleTests.Send(
            gateway.Http, HttpMethod.Post, "/v1/entities/device/audit-phone/actions", gateway.Keys[Roles.Operator].Key, """{"action": "ban", "note": "sells accounts"}""", Cancel);
        Assert.Equal(HttpStatusCode.OK, status);

        var audit = await AuditAsync("entity=device/audit-phone");

        Assert.Equal("entity/device/audit-phone", audit["subject"]!.GetValue<string>());
        var entry = Assert.Single(audit["entries"]!.AsArray())!;
        Assert.Equal("entity.ban", entry["action"]!.GetValue<string>());
        Assert.Equal("operator-key", entry["actor"]!.GetValue<string>());
        Assert.Equal("sells accounts", entry["details"]!["note"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("account=a&entity=device/d")]
    [InlineData("entity=device")]
    [InlineData("entity=phone/d")]
    [InlineData("account=bad%20id")]
    [InlineData("account=a&limit=0")]
    [InlineData("account=a&limit=501")]
    [InlineData("account=a&limit=ten")]
    [InlineData("account=a&cursor=-1")]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string query)
    {
        var (status, text, _) = await RoleTests.Send(gateway.Http, HttpMethod.Get, $"/v1/audit?{query}", gateway.Keys[Roles.Auditor].Key, null, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotEmpty(JsonNode.Parse(text)!["errors"]!.AsObject());
    }
}
