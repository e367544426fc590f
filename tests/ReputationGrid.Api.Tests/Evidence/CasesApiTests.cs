using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Tests.Auth;

namespace ReputationGrid.Api.Tests.Evidence;

/// <summary><c>/v1/cases</c> through the real stack: building a case, what is refused and why, and the audit of views.</summary>
public sealed class CasesApiTests(EvidenceGatewayFixture gateway) : IClassFixture<EvidenceGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Operator => gateway.Keys[Roles.Operator].Key;

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string? key = null)
    {
        var (status, text, _) = await RoleTests.Send(gateway.Http, method, path, key ?? Operator, body, Cancel);
        return (status, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<string> OpenAsync(string name)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/cases", $$"""{"name": "{{name}}", "description": "bulk sending past the limits"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        return (string)body!["id"]!;
    }

    [Fact]
    public async Task An_operator_builds_a_case_and_an_auditor_views_it_and_the_view_is_audited()
    {
        var id = await OpenAsync("Farm of Dec 3");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/v1/cases/{id}/accounts", """{"account": "case-acct-1"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/v1/cases/{id}/accounts", """{"account": "case-acct-2"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, $"/v1/cases/{id}/accounts/case-acct-2")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/v1/cases/{id}/entities", """{"entity": "device/case-phone"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/v1/cases/{id}/notes", """{"text": "same device as the May farm"}""")).Status);
        var file = RandomNumberGenerator.GetBytes(1000);
        var (added, item) = await SendAsync(HttpMethod.Post, $"/v1/cases/{id}/evidence", $$"""
            {"source": "the company's website", "seenAt": "2026-11-20T10:00:00Z", "fileName": "advert.png", "contentType": "image/png",
             "content": "{{Convert.ToBase64String(file)}}"}
            """);
        Assert.Equal(HttpStatusCode.Created, added);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), (string?)item!["sha256"]);
        Assert.Equal("operator-key", (string?)item["recordedBy"]);

        var (status, view) = await SendAsync(HttpMethod.Get, $"/v1/cases/{id}", key: gateway.Keys[Roles.Auditor].Key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Farm of Dec 3", (string?)view!["name"]);
        Assert.Equal(["case-acct-1"], view["accounts"]!.AsArray().Select(a => (string?)a!["id"]));
        Assert.Equal(["device/case-phone"], view["entities"]!.AsArray().Select(a => (string?)a!["id"]));
        Assert.Equal("operator-key", (string?)view["notes"]![0]!["author"]);
        Assert.Equal(1000, (int)view["evidence"]![0]!["size"]!);

        using var download = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/evidence/1");
        download.Headers.Authorization = new("Bearer", gateway.Keys[Roles.Auditor].Key);
        using var downloaded = await gateway.Http.SendAsync(download, Cancel);
        Assert.Equal(file, await downloaded.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal("application/octet-stream", downloaded.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", downloaded.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/v1/cases/{id}/evidence/2")).Status);

        var (_, list) = await SendAsync(HttpMethod.Get, "/v1/cases?limit=500");
        Assert.Contains(id, list!["cases"]!.AsArray().Select(c => (string?)c!["id"]));

        var (_, audit) = await SendAsync(HttpMethod.Get, $"/v1/audit?case={id}", key: gateway.Keys[Roles.Auditor].Key);
        var actions = audit!["entries"]!.AsArray().Select(e => ((string?)e!["action"], (string?)e["actor"])).ToList();
        Assert.Equal([("case.read_evidence", "auditor-key"), ("case.view", "auditor-key")], actions[..2]);
        Assert.Contains(("case.open", "operator-key"), actions);
        Assert.Contains(("case.add_evidence", "operator-key"), actions);
        Assert.Contains(("case.read_evidence", "auditor-key"), actions);
    }

    [Theory]
    [InlineData("/v1/cases", """{"name": ""}""", "name")]
    [InlineData("/v1/cases", """{"name": "x", "colour": "red"}""", "colour")]
    [InlineData("/v1/cases/{id}/accounts", """{"account": "not valid"}""", "account")]
    [InlineData("/v1/cases/{id}/entities", """{"entity": "phone/x"}""", "entity")]
    [InlineData("/v1/cases/{id}/notes", """{}""", "text")]
    [InlineData("/v1/cases/{id}/evidence", """{"source": "s", "seenAt": "2026-11-20T10:00:00Z"}""", "link")]
    [InlineData("/v1/cases/{id}/evidence", """{"source": "s", "seenAt": "2026-11-20T10:00:00Z", "link": "ftp://x"}""", "link")]
    [InlineData("/v1/cases/{id}/evidence", """{"source": "s", "seenAt": "2126-11-20T10:00:00Z", "link": "https://x"}""", "seenAt")]
    [InlineData("/v1/cases/{id}/evidence", """{"source": "s", "seenAt": "2026-11-20T10:00:00Z", "content": "AAAA"}""", "fileName")]
    [InlineData("/v1/cases/{id}/evidence", """{"source": "s", "seenAt": "2026-11-20T10:00:00Z", "fileName": "f", "content": "%%%"}""", "content")]
    public async Task A_bad_request_is_answered_400_naming_the_field_and_changes_nothing(string path, string body, string field)
    {
        var id = await OpenAsync("refusals");
        var (status, problem) = await SendAsync(HttpMethod.Post, path.Replace("{id}", id, StringComparison.Ordinal), body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]![field]);
        var (_, view) = await SendAsync(HttpMethod.Get, $"/v1/cases/{id}");
        Assert.Empty(view!["accounts"]!.AsArray());
        Assert.Empty(view["entities"]!.AsArray());
        Assert.Empty(view["notes"]!.AsArray());
        Assert.Empty(view["evidence"]!.AsArray());
    }

    [Fact]
    public async Task A_file_over_the_bound_is_answered_413_and_an_unknown_case_404()
    {
        var id = await OpenAsync("too large");
        var file = Convert.ToBase64String(new byte[EvidenceGatewayFixture.MaxFileBytes + 1]);
        var (status, problem) = await SendAsync(HttpMethod.Post, $"/v1/cases/{id}/evidence",
            $$"""{"source": "s", "seenAt": "2026-11-20T10:00:00Z", "fileName": "big.bin", "content": "{{file}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains($"{EvidenceGatewayFixture.MaxFileBytes} bytes", (string?)problem!["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/v1/cases/case-none")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/v1/cases/case-none/notes", """{"text": "x"}""")).Status);
    }
}
