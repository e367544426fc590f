using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Api.Audit;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Tests;

/// <summary>The policy endpoints through the real stack: publish, refuse, roll back, and the shadow candidate's report.</summary>
public sealed class PolicyApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    /// <summary>The bound the documentation gives for a change to reach every silo.</summary>
    private static readonly TimeSpan PropagationBound = TimeSpan.FromSeconds(5);

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await gateway.Http.SendAsync(request, Cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    private async Task<string> LiveAsync()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/v1/policy");
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    /// <summary>The live document with its version renamed and one value changed.</summary>
    private async Task<string> EditedAsync(string version, Action<JsonObject>? edit = null)
    {
        var document = JsonNode.Parse(await LiveAsync())!.AsObject();
        document["version"] = version;
        edit?.Invoke(document);
        return document.ToJsonString();
    }

    private async Task<string> DecidedVersionAsync(string account)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/decisions/send", $$"""{"account": "{{account}}", "recipient": "friend", "recipientIsContact": true}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonNode.Parse(body)!["policyVersion"]!.GetValue<string>();
    }

    private async Task DecidesUnderAsync(string version)
    {
        var started = Stopwatch.StartNew();
        var account = 0;
        while (await DecidedVersionAsync($"policy-api-{version}-{account++}") != version)
        {
            Assert.True(started.Elapsed < PropagationBound, $"Decisions did not use {version} within {PropagationBound}.");
            await Task.Delay(50, Cancel);
        }
    }

    private async Task<AuditEntry[]> PolicyAuditAsync() =>
        (await gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IAuditGrain>(AuditTrail.PolicySubject).ReadAsync(null, 100)).Entries;

    [Fact]
    public async Task A_published_version_is_returned_exactly_as_put_listed_audited_and_used_by_decisions()
    {
        var document = await EditedAsync("api-publish.1", d => d["thresholds"]!["throttle"] = 65.0);

        var (status, answered) = await SendAsync(HttpMethod.Put, "/v1/policy", document);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(document, answered);
        Assert.Equal(document, await LiveAsync());
        var (_, versions) = await SendAsync(HttpMethod.Get, "/v1/policy/versions");
        var listed = JsonNode.Parse(versions)!;
        Assert.Equal("api-publish.1", listed["live"]!.GetValue<string>());
        var newest = listed["versions"]![0]!;
        Assert.Equal(("api-publish.1", "local", true), (newest["version"]!.GetValue<string>(), newest["author"]!.GetValue<string>(), newest["live"]!.GetValue<bool>()));
        Assert.Contains(await PolicyAuditAsync(), e => e.Record.Action == "policy.publish" && e.Record.Details["version"] == "api-publish.1");
        await DecidesUnderAsync("api-publish.1");
    }

    [Fact]
    public async Task An_invalid_document_is_400_naming_each_bad_key_and_the_live_policy_is_unchanged()
    {
        var before = await LiveAsync();
        var invalid = await EditedAsync("api-invalid.1", d =>
        {
            d["thresholds"]!["throttle"] = 150.0;
            d["signals"]!["noTyping"]!["weight"] = -1.0;
        });

        var (status, body) = await SendAsync(HttpMethod.Put, "/v1/policy", invalid);
        var (unknownStatus, unknownBody) = await SendAsync(HttpMethod.Put, "/v1/policy", """{"version": "api-invalid.2", "thresholds": {"throtle": 60}}""");
        var (notJsonStatus, _) = await SendAsync(HttpMethod.Put, "/v1/policy", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = JsonNode.Parse(body)!["errors"]!.AsObject();
        Assert.Contains("Policy:Thresholds:Throttle", errors.Select(e => e.Key));
        Assert.Contains("Policy:Signals:NoTyping:Weight", errors.Select(e => e.Key));
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.Contains("throtle", unknownBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notJsonStatus);
        Assert.Equal(before, await LiveAsync());
    }

    [Fact]
    public async Task A_rollback_returns_to_an_earlier_version_and_an_unknown_one_is_400()
    {
        var earlier = await LiveAsync();
        var earlierVersion = JsonNode.Parse(earlier)!["version"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/v1/policy", await EditedAsync("api-rollback.1"))).Status);

        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/policy/rollback", $$"""{"version": "{{earlierVersion}}"}""");
        var (unknownStatus, unknownBody) = await SendAsync(HttpMethod.Post, "/v1/policy/rollback", """{"version": "api-never"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(earlier, body);
        Assert.Equal(earlier, await LiveAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.Contains("version", JsonNode.Parse(unknownBody)!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains(await PolicyAuditAsync(), e => e.Record.Action == "policy.rollback" && e.Record.Details["version"] == earlierVersion);
        await DecidesUnderAsync(earlierVersion);
    }

    [Fact]
    public async Task A_shadow_candidate_is_reported_on_and_removed_without_changing_live_decisions()
    {
        var live = await LiveAsync();
        var liveVersion = JsonNode.Parse(live)!["version"]!.GetValue<string>();
        // The candidate throttles every send: send_rate_15s scores 40 points from the first attempt.
        var candidate = await EditedAsync("api-shadow.1", d => d["signals"]!["sendRate15s"] = new JsonObject { ["start"] = 0.0, ["full"] = 1.0, ["weight"] = 40.0 });

        var (status, _) = await SendAsync(HttpMethod.Put, "/v1/policy/shadow", candidate);
        Assert.Equal(HttpStatusCode.OK, status);
        var started = Stopwatch.StartNew();
        JsonNode report;
        var account = 0;
        do
        {
            Assert.True(started.Elapsed < 2 * PropagationBound, "The shadow report counted no throttle by the candidate in time.");
            Assert.Equal(liveVersion, await DecidedVersionAsync($"api-shadowed-{account++}"));
            var (reportStatus, reportBody) = await SendAsync(HttpMethod.Get, "/v1/policy/shadow/report?limit=1");
            Assert.Equal(HttpStatusCode.OK, reportStatus);
            report = JsonNode.Parse(reportBody)!;
        }
        while (report["sampleTotal"]!.GetValue<int>() < 2);

        Assert.Equal(("api-shadow.1", "local"), (report["version"]!.GetValue<string>(), report["author"]!.GetValue<string>()));
        Assert.Contains(report["matrix"]!.AsArray(), cell => cell!["live"]!.GetValue<string>() == "allow" && cell["shadow"]!.GetValue<string>() == "throttle");
        Assert.Equal("send_rate_15s", report["differingReasons"]![0]!["reason"]!.GetValue<string>());
        Assert.Single(report["sample"]!.AsArray());
        Assert.Equal(live, await LiveAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, "/v1/policy/shadow")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/v1/policy/shadow/report")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/v1/policy/shadow")).Status);
        var audit = await PolicyAuditAsync();
        Assert.Contains(audit, e => e.Record.Action == "policy.shadow.install" && e.Record.Details["version"] == "api-shadow.1");
        Assert.Contains(audit, e => e.Record.Action == "policy.shadow.remove");
    }
}
