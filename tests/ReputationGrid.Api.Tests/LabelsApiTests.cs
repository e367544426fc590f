using System.Net;
using System.Text.Json.Nodes;

namespace ReputationGrid.Api.Tests;

/// <summary>Labels through the HTTP API: recorded, read per account, exported, and recorded by operator actions.</summary>
public sealed class LabelsApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null) =>
        gateway.Http.SendJsonAsync(method, path, json, Cancel);

    private async Task<JsonArray> LabelsAsync(string account)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"/v1/labels/{account}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["labels"]!.AsArray();
    }

    [Fact]
    public async Task A_label_is_recorded_read_back_per_account_and_exported()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/labels",
            """{"account": "labelled-1", "label": "abuse", "reason": "appeal_rejected", "at": "2026-11-20T10:00:00Z"}""");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(("abuse", "appeal_rejected"), (body!["label"]!.GetValue<string>(), body["reason"]!.GetValue<string>()));
        var label = Assert.Single(await LabelsAsync("labelled-1"));
        Assert.Equal("2026-11-20T10:00:00+00:00", label!["at"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-ddTHH:mm:sszzz"));

        var (exportStatus, export) = await SendAsync(HttpMethod.Get, "/v1/labels/export?limit=500");
        Assert.Equal(HttpStatusCode.OK, exportStatus);
        var exported = Assert.Single(export!["accounts"]!.AsArray(), a => a!["account"]!.GetValue<string>() == "labelled-1");
        Assert.Equal("abuse", exported!["labels"]![0]!["label"]!.GetValue<string>());
        Assert.NotNull(exported["snapshots"]);
    }

    [Theory]
    [InlineData("""{"account": "x", "label": "spam", "reason": "r"}""", "label")]
    [InlineData("""{"account": "x", "label": "abuse"}""", "reason")]
    [InlineData("""{"account": "x", "label": "abuse", "reason": "r", "at": "2999-01-01T00:00:00Z"}""", "at")]
    [InlineData("""{"label": "abuse", "reason": "r"}""", "account")]
    public async Task A_bad_label_is_refused_naming_its_field(string json, string field)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/labels", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]![field]);
    }

    [Fact]
    public async Task An_operator_ban_labels_abuse_and_a_clear_as_false_positive_labels_legitimate()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v1/accounts/operated-1/actions", """{"action": "ban", "note": "spam wave"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v1/accounts/operated-1/actions", """{"action": "clear", "note": "false_positive: a teacher"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v1/accounts/operated-1/actions", """{"action": "clear", "note": "served its time"}""")).Status);

        var labels = await LabelsAsync("operated-1");

        Assert.Equal(
            [("abuse", "operator_ban"), ("legitimate", "false_positive")],
            labels.Select(l => (l!["label"]!.GetValue<string>(), l["reason"]!.GetValue<string>())));
    }
}
