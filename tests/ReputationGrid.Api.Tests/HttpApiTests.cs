using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReputationGrid.Api.Tests;

/// <summary>The HTTP API through the real stack: Kestrel on loopback, the gateway, and a silo in the same process.</summary>
public sealed class HttpApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static string At(TimeSpan offset) => (Now + offset).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> PostAsync(string path, string json)
    {
        var response = await gateway.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, JsonNode.Parse(text)!, response);
    }

    private async Task<JsonNode> GetAccountAsync(string id) =>
        JsonNode.Parse(await gateway.Http.GetStringAsync($"/v1/accounts/{id}", Cancel))!;

    [Fact]
    public async Task Health_answers_once_the_silo_and_gateway_are_ready()
    {
        var response = await gateway.Http.GetAsync("/healthz", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Requests_get_no_hosting_activity_or_log_scope_by_default()
    {
        // ASP.NET Core's hosting layer makes both for every request whenever this logger is on at any level; the
        // host's appsettings.json turns it off, and only it: unhandled errors are still logged.
        var loggers = gateway.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware").IsEnabled(LogLevel.Error));
    }

    [Fact]
    public async Task A_bad_event_rejects_only_itself_and_the_rest_are_recorded()
    {
        var (status, body, _) = await PostAsync("/v1/events", $$"""
            {"events": [
              {"type": "account_registered", "account": "api-batch", "network": "mobile", "at": "2020-01-01T00:00:00Z"},
              {"type": "message_sent", "account": "api-batch", "recipient": "bob", "recipientIsContact": true, "typed": true},
              {"type": "group_members_added", "account": "api-batch", "groupId": "g1", "count": 3, "nonContacts": 9},
              {"type": "message_sent", "account": "api-batch", "recipient": "carol", "recipientIsContact": "yes"},
              {"type": "teleported", "account": "api-batch"},
              {"type": "blocked", "account": "api batch", "blocker": "x"},
              {"type": "reply_received", "account": "api-batch", "from": "bob", "at": "{{At(TimeSpan.FromHours(1))}}"},
              {"type": "contact_added", "account": "api-batch", "contact": "dave", "colour": "blue"},
              "not an object",
              {"type": "contact_added", "account": "api-batch", "contact": "erin"}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body["accepted"]!.GetValue<int>());
        var rejected = body["rejected"]!.AsArray().Select(r => (r!["index"]!.GetValue<int>(), r["error"]!.GetValue<string>())).ToList();
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], rejected.Select(r => r.Item1));
        Assert.StartsWith("nonContacts:", rejected[0].Item2);
        Assert.StartsWith("recipientIsContact:", rejected[1].Item2);
        Assert.StartsWith("type:", rejected[2].Item2);
        Assert.StartsWith("account:", rejected[3].Item2);
        Assert.StartsWith("at:", rejected[4].Item2);
        Assert.StartsWith("colour:", rejected[5].Item2);
        Assert.StartsWith("body:", rejected[6].Item2);

        var account = await GetAccountAsync("api-batch");
        Assert.True(account["known"]!.GetValue<bool>());
        Assert.Equal(1, account["features"]!["sent24h"]!.GetValue<double>());
        Assert.Equal(1, account["features"]!["contactsAdded24h"]!.GetValue<double>());
        Assert.True(account["features"]!["accountAgeHours"]!.GetValue<double>() > 24 * 365 * 5);
    }

    [Fact]
    public async Task Behaviour_dated_before_the_account_registered_is_refused_naming_the_event()
    {
        await PostAsync("/v1/events", $$"""{"events": [{"type": "account_registered", "account": "api-forged", "network": "mobile", "at": "{{At(TimeSpan.FromHours(-1))}}"}]}""");

        var (status, body, _) = await PostAsync("/v1/events", $$"""
            {"events": [
              {"type": "reported", "account": "api-forged", "reporter": "x", "at": "{{At(TimeSpan.FromHours(-2))}}"},
              {"type": "contact_added", "account": "api-forged-friend", "contact": "y"}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body["accepted"]!.GetValue<int>());
        var rejected = Assert.Single(body["rejected"]!.AsArray())!;
        Assert.Equal(0, rejected["index"]!.GetValue<int>());
        Assert.StartsWith("not recorded: reported at ", rejected["error"]!.GetValue<string>());
        Assert.Contains("is dated before the account registered", rejected["error"]!.GetValue<string>());

        // Alone in its request, the refused event is still named: only an unavailable cluster answers 503.
        var (aloneStatus, alone, _) = await PostAsync("/v1/events",
            $$"""{"events": [{"type": "reported", "account": "api-forged", "reporter": "z", "at": "{{At(TimeSpan.FromHours(-2))}}"}]}""");
        Assert.Equal(HttpStatusCode.OK, aloneStatus);
        Assert.Equal(0, alone["accepted"]!.GetValue<int>());
        Assert.Contains("is dated before the account registered", Assert.Single(alone["rejected"]!.AsArray())!["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/events", "not json at all")]
    [InlineData("/v1/events", "[]")]
    [InlineData("/v1/events", """{"events": {}}""")]
    [InlineData("/v1/events", "")]
    [InlineData("/v1/decisions/send", "{}")]
    [InlineData("/v1/decisions/send", """{"account": "a", "recipient": "b"}""")]
    [InlineData("/v1/decisions/send", """{"account": "a", "recipient": "b", "recipientIsContact": true, "at": "yesterday"}""")]
    [InlineData("/v1/decisions/send", """{"account": "a", "recipient": "b", "recipientIsContact": true, "at": "2026-01-01T00:00:00"}""")]
    [InlineData("/v1/decisions/send", """{"account": "a", "recipient": "b", "recipientIsContact": true, "fingerprint": 12}""")]
    [InlineData("/v1/decisions/send", """{"account": "a", "recipient": "b", "recipientIsContact": true, "isForwarded": true}""")]
    [InlineData("/v1/decisions/send", "[1, 2")]
    [InlineData("/v1/accounts/someone/actions", """{"action": "suspend", "note": "x"}""")]
    [InlineData("/v1/accounts/someone/actions", """{"action": "ban", "note": "x", "until": "2030-01-01T00:00:00Z"}""")]
    [InlineData("/v1/accounts/someone/actions", """{"action": "delete", "note": "x"}""")]
    [InlineData("/v1/accounts/someone/actions", """{"action": "ban", "by": "ops"}""")]
    [InlineData("/v1/accounts/someone/actions", """{"action": "ban", "note": ""}""")]
    [InlineData("/v1/accounts/some%20one/actions", """{"action": "ban", "note": "x"}""")]
    public async Task Malformed_requests_get_400_problem_details_never_a_500(string path, string json)
    {
        var (status, body, response) = await PostAsync(path, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_field_error_names_the_field()
    {
        var (_, body, _) = await PostAsync("/v1/decisions/send", """{"account": "a", "recipient": "b"}""");
        Assert.NotNull(body["errors"]!["recipientIsContact"]);
    }

    [Theory]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "isForwarded": true}""", "isForwarded")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "typed": true, "fingerprint": "f", "groupid": "g"}""", "groupid")]
    [InlineData("""{"colour": "blue", "account": "a", "recipient": "b", "recipientIsContact": true, "at": null}""", "colour")]
    public async Task An_unknown_field_is_named_even_beside_every_known_one(string json, string unknown)
    {
        var (status, body, _) = await PostAsync("/v1/decisions/send", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([$"{unknown}: is not a known field"], body["errors"]![unknown]!.AsArray().Select(error => error!.GetValue<string>()));
    }

    [Fact]
    public async Task Oversized_batches_and_bodies_are_rejected_whole()
    {
        var events = string.Join(",", Enumerable.Repeat("""{"type": "contact_added", "account": "big", "contact": "c"}""", 1001));
        var (status, body, _) = await PostAsync("/v1/events", $$"""{"events": [{{events}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body["errors"]!["events"]);

        var padding = new string(' ', 70_000);
        (status, body, _) = await PostAsync("/v1/events", $$"""{"events": []{{padding}}}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("Request bodies are limited to 65536 bytes; split the batch.", body["detail"]!.GetValue<string>());

        var view = await GetAccountAsync("big");
        Assert.False(view["known"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_send_check_answers_with_action_score_reasons_and_policy_version()
    {
        var (status, body, response) = await PostAsync("/v1/decisions/send",
            """{"account": "api-sender", "recipient": "bob", "recipientIsContact": true, "typed": true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("api-sender", body["account"]!.GetValue<string>());
        Assert.Equal("allow", body["action"]!.GetValue<string>());
        Assert.Equal(100, body["score"]!.GetValue<double>());
        Assert.Empty(body["reasons"]!.AsArray());
        Assert.False(string.IsNullOrEmpty(body["policyVersion"]!.GetValue<string>()));
        Assert.Null(body["retryAfterSeconds"]);
    }

    [Fact]
    public async Task A_business_beyond_its_tier_limit_is_throttled_and_its_view_shows_tier_use_and_quality()
    {
        var sends = Enumerable.Range(0, 250).Select(i =>
            $$"""{"type": "message_sent", "account": "http-shop", "recipient": "c-{{i}}", "recipientIsContact": false, "conversation": "business_initiated", "at": "{{At(TimeSpan.FromMinutes(-60) + TimeSpan.FromSeconds(10 * i))}}"}""");
        var optIns = Enumerable.Range(0, 250).Select(i =>
            $$"""{"type": "opted_in", "account": "http-shop", "person": "c-{{i}}", "at": "{{At(TimeSpan.FromMinutes(-62))}}"}""");
        string[] setup =
        [
            $$"""{"type": "account_registered", "account": "http-shop", "business": true, "at": "{{At(TimeSpan.FromDays(-30))}}"}""",
            $$"""{"type": "opted_out", "account": "http-shop", "person": "c-1", "at": "{{At(TimeSpan.FromMinutes(-61))}}"}""",
            $$"""{"type": "reply_received", "account": "http-shop", "from": "asks", "at": "{{At(TimeSpan.FromMinutes(-5))}}"}""",
        ];
        foreach (var batch in new[] { [setup[0], .. optIns], setup[1..], sends.ToArray() })
        {
            var (recorded, ingest, _) = await PostAsync("/v1/events", $$"""{"events": [{{string.Join(",", batch)}}]}""");
            Assert.Equal((HttpStatusCode.OK, batch.Length), (recorded, ingest["accepted"]?.GetValue<int>()));
        }

        var (_, refused, _) = await PostAsync("/v1/decisions/send",
            $$"""{"account": "http-shop", "recipient": "new-one", "recipientIsContact": false, "conversation": "business_initiated", "at": "{{At(TimeSpan.Zero)}}"}""");
        var (_, service, _) = await PostAsync("/v1/decisions/send",
            $$"""{"account": "http-shop", "recipient": "asks", "recipientIsContact": false, "conversation": "service", "at": "{{At(TimeSpan.Zero)}}"}""");
        var (badConversation, problem, _) = await PostAsync("/v1/decisions/send",
            """{"account": "http-shop", "recipient": "x", "recipientIsContact": false, "conversation": "marketing"}""");
        var business = (await GetAccountAsync("http-shop"))["business"]!;

        Assert.Equal("throttle", refused["action"]!.GetValue<string>());
        Assert.Equal(["business_tier_limit"], refused["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.InRange(refused["retryAfterSeconds"]!.GetValue<int>(), 22 * 3600, 24 * 3600);
        Assert.Equal("allow", service["action"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, badConversation);
        Assert.StartsWith("conversation:", problem["detail"]!.GetValue<string>());
        Assert.Equal((1, 250, 250L, "none"), (business["tier"]!.GetValue<int>(), business["limit"]!.GetValue<int>(), business["usedIn24h"]!.GetValue<long>(), business["verification"]!.GetValue<string>()));
        // One opt-out and one message after it, weighted by recency (the previous six hours count 0.917).
        Assert.InRange(business["qualityInputs"]!["optOuts"]!.GetValue<double>(), 0.9, 1);
        Assert.Equal(business["qualityInputs"]!["optOuts"]!.GetValue<double>(), business["qualityInputs"]!["optedOutMessages"]!.GetValue<double>());
        Assert.Equal(125, business["next"]!["upgradeNeeds"]!.GetValue<long>());

        var (setStatus, set, _) = await PostAsync("/v1/accounts/http-shop/actions", """{"action": "set_tier", "tier": 3, "note": "contract"}""");
        var (missingTier, missing, _) = await PostAsync("/v1/accounts/http-shop/actions", """{"action": "set_tier"}""");
        Assert.Equal(HttpStatusCode.OK, setStatus);
        Assert.Equal(3, set["business"]!["tier"]!.GetValue<int>());
        Assert.Contains(set["history"]!.AsArray(), entry => entry!["reasons"]![0]?.GetValue<string>() == "operator_set_tier");
        Assert.Equal(HttpStatusCode.BadRequest, missingTier);
        Assert.StartsWith("tier:", missing["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_challenged_account_that_fails_the_challenge_is_suspended_and_one_that_passes_is_let_through()
    {
        foreach (var (account, outcome) in new[] { ("api-fails", "challenge_failed"), ("api-passes", "challenge_passed") })
        {
            // One piece of content to 40 contacts within the hour, at irregular gaps, half of whom answer: a challenge, and nothing else.
            var events = new List<string> { $$"""{"type": "account_registered", "account": "{{account}}", "network": "mobile", "at": "{{At(TimeSpan.FromDays(-2))}}"}""" };
            var start = TimeSpan.FromHours(-5);
            for (var i = 0; i < 40; i++)
            {
                var at = start + TimeSpan.FromSeconds((i / 2 * 65) + (i % 2 * 5));
                events.Add($$"""{"type": "message_sent", "account": "{{account}}", "recipient": "c{{i}}", "recipientIsContact": true, "fingerprint": "flyer", "at": "{{At(at)}}"}""");
                if (i % 2 == 1)
                {
                    events.Add($$"""{"type": "reply_received", "account": "{{account}}", "from": "c{{i}}", "at": "{{At(at + TimeSpan.FromSeconds(30))}}"}""");
                }
            }

            await PostAsync("/v1/events", $$"""{"events": [{{string.Join(",", events)}}]}""");
            var (_, challenged, _) = await PostAsync("/v1/decisions/send",
                $$"""{"account": "{{account}}", "recipient": "c0", "recipientIsContact": true, "at": "{{At(start + TimeSpan.FromMinutes(25))}}"}""");
            Assert.Equal("challenge", challenged["action"]!.GetValue<string>());

            var (status, recorded, _) = await PostAsync("/v1/events",
                $$"""{"events": [{"type": "{{outcome}}", "account": "{{account}}", "at": "{{At(start + TimeSpan.FromMinutes(26))}}"}]}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(1, recorded["accepted"]!.GetValue<int>());

            var (_, after, _) = await PostAsync("/v1/decisions/send",
                $$"""{"account": "{{account}}", "recipient": "c1", "recipientIsContact": true, "at": "{{At(start + TimeSpan.FromHours(4))}}"}""");
            if (outcome == "challenge_failed")
            {
                Assert.Equal("suspend", after["action"]!.GetValue<string>());
                Assert.Equal("challenge_failed", after["reasons"]![0]!.GetValue<string>());
            }
            else
            {
                Assert.Equal("allow", after["action"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task A_burst_is_throttled_with_retry_after_then_banned_with_reasons()
    {
        await PostAsync("/v1/events", $$"""{"events": [{"type": "account_registered", "account": "api-burst", "network": "voip", "at": "{{At(TimeSpan.FromMinutes(-5))}}"}]}""");
        var actions = new List<JsonNode>();
        for (var i = 0; i < 60; i++)
        {
            var (_, body, _) = await PostAsync("/v1/decisions/send",
                $$"""{"account": "api-burst", "recipient": "r{{i}}", "recipientIsContact": false, "at": "{{At(TimeSpan.FromMilliseconds(100 * i))}}"}""");
            actions.Add(body);
        }

        var throttled = actions.First(a => a["action"]!.GetValue<string>() != "allow");
        Assert.Equal("throttle", throttled["action"]!.GetValue<string>());
        Assert.True(throttled["retryAfterSeconds"]!.GetValue<int>() > 0);
        Assert.NotEmpty(throttled["reasons"]!.AsArray());

        var last = actions[^1];
        Assert.Equal("ban", last["action"]!.GetValue<string>());
        Assert.Equal("new_account_burst", last["reasons"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_account_answers_known_false()
    {
        var view = await GetAccountAsync("api-nobody");
        Assert.False(view["known"]!.GetValue<bool>());
        Assert.Equal("allow", view["action"]!.GetValue<string>());
        Assert.Empty(view["history"]!.AsArray());
        Assert.NotNull(view["features"]!["attempts15s"]);
    }

    [Fact]
    public async Task An_operator_suspension_applies_to_decisions_and_is_kept_in_history()
    {
        var until = At(TimeSpan.FromHours(2));
        var (status, view, _) = await PostAsync("/v1/accounts/api-reviewed/actions",
            $$"""{"action": "suspend", "note": "investigating reports", "until": "{{until}}"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("suspend", view["action"]!.GetValue<string>());

        var (_, decision, _) = await PostAsync("/v1/decisions/send", """{"account": "api-reviewed", "recipient": "x", "recipientIsContact": true}""");
        Assert.Equal("suspend", decision["action"]!.GetValue<string>());
        Assert.Equal(["operator_suspend"], decision["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(DateTimeOffset.Parse(until), decision["until"]!.GetValue<DateTimeOffset>());

        await PostAsync("/v1/accounts/api-reviewed/actions", """{"action": "clear"}""");
        var account = await GetAccountAsync("api-reviewed");
        Assert.Equal("allow", account["action"]!.GetValue<string>());
        var history = account["history"]!.AsArray();
        Assert.Equal(["suspend", "allow"], history.Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal("investigating reports", history[0]!["note"]!.GetValue<string>());
        Assert.Null(history[1]!["note"]);
        Assert.All(history, entry => Assert.Equal("local", entry!["by"]!.GetValue<string>())); // the development default's actor
    }

    [Fact]
    public async Task An_operator_action_names_who_acted_from_the_credentials_never_from_the_body()
    {
        var (status, body, _) = await PostAsync("/v1/accounts/api-impostor/actions", """{"action": "ban", "by": "ops:someone-else"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["by: is not a known field"], body["errors"]!["by"]!.AsArray().Select(error => error!.GetValue<string>()));
        Assert.False((await GetAccountAsync("api-impostor"))["known"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_invalid_account_id_in_the_path_is_a_400()
    {
        var response = await gateway.Http.GetAsync($"/v1/accounts/{new string('a', 129)}", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _));
    }
}
