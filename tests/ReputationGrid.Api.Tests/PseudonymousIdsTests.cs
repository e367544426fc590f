using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Api.Ids;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Tests;

/// <summary>The embedded host with a pseudonym key, recording the key and arguments of every grain call it serves.</summary>
public sealed class PseudonymousGatewayFixture : GatewayFixture
{
    public const string Key = "c2l4LWFuZC1mb3J0eS1ieXRlcy1vZi10ZXN0LWtleS0xMjM0NTY3ODkwISE=";

    /// <summary>Each grain call as its target grain and its arguments, written out whole.</summary>
    public ConcurrentQueue<string> GrainCalls { get; } = new();

    public AccountIds Ids { get; } = new(Options.Create(new IdsOptions { PseudonymKey = Key }));

    protected override IEnumerable<string> ExtraArguments() => ["--Ids:PseudonymKey", Key];

    protected override void Configure(WebApplicationBuilder builder) => builder.Services.AddSingleton<IIncomingGrainCallFilter>(new CallRecorder(GrainCalls));

    private sealed class CallRecorder(ConcurrentQueue<string> calls) : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context)
        {
            var call = new StringBuilder(context.TargetId.ToString());
            for (var i = 0; i < context.Request.GetArgumentCount(); i++)
            {
                Describe(call.Append(' '), context.Request.GetArgument(i));
            }

            calls.Enqueue(call.ToString());
            return context.Invoke();
        }
    }

    // Records print their properties; collections and dictionaries are written out item by item.
    private static void Describe(StringBuilder call, object? argument)
    {
        if (argument is IEnumerable items and not string)
        {
            foreach (var item in items)
            {
                Describe(call.Append(' '), item);
            }

            return;
        }

        call.Append(argument);
        if (argument is AuditRecord record)
        {
            Describe(call, record.Details);
        }
    }
}

/// <summary>
/// With <c>Ids:PseudonymKey</c> set, no raw account id reaches a grain on any path, the same raw id is the same account over
/// HTTP and gRPC, and operators still find accounts by their raw ids.
/// </summary>
public sealed class PseudonymousIdsTests(PseudonymousGatewayFixture gateway) : IClassFixture<PseudonymousGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string At(TimeSpan offset) =>
        (DateTimeOffset.UtcNow + offset).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    private Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null) =>
        gateway.Http.SendJsonAsync(method, path, json, Cancel);

    [Fact]
    public async Task No_raw_account_id_reaches_a_grain_on_any_path_and_operators_find_accounts_by_raw_id()
    {
        // Raw ids no pseudonym or other grain key could contain by chance.
        string[] raw = ["+4915550001111", "+4915550002222", "+4915550003333", "+4915550004444", "+4915550005555", "+4915550006666"];
        var (sender, recipient, reporter, replier, contact, grpcRecipient) = (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5]);
        var events = $$"""
            {"events": [
              {"type": "account_registered", "account": "{{sender}}", "network": "mobile", "at": "{{At(TimeSpan.FromDays(-3))}}"},
              {"type": "message_sent", "account": "{{sender}}", "recipient": "{{recipient}}", "recipientIsContact": false, "groupId": "g-1", "at": "{{At(TimeSpan.FromMinutes(-5))}}"},
              {"type": "reported", "account": "{{sender}}", "reporter": "{{reporter}}", "at": "{{At(TimeSpan.FromMinutes(-4))}}"},
              {"type": "reply_received", "account": "{{sender}}", "from": "{{replier}}", "at": "{{At(TimeSpan.FromMinutes(-3))}}"},
              {"type": "contact_added", "account": "{{sender}}", "contact": "{{contact}}", "at": "{{At(TimeSpan.FromMinutes(-2))}}"}
            ]}
            """;
        var (eventsStatus, ingested) = await SendAsync(HttpMethod.Post, "/v1/events", events);
        var (checkStatus, httpDecision) = await SendAsync(
            HttpMethod.Post, "/v1/decisions/send", $$"""{"account": "{{sender}}", "recipient": "{{recipient}}", "recipientIsContact": false}""");
        var grpcDecision = await new Reputation.ReputationClient(gateway.Grpc).CheckSendAsync(
            new CheckSendRequest { Account = sender, Recipient = grpcRecipient, RecipientIsContact = false }, cancellationToken: Cancel);
        var (actionStatus, _) = await SendAsync(HttpMethod.Post, $"/v1/accounts/{sender}/actions", """{"action": "ban", "note": "pseudonym test"}""");
        var (labelStatus, _) = await SendAsync(HttpMethod.Post, "/v1/labels", $$"""{"account": "{{sender}}", "label": "abuse", "reason": "spam"}""");
        var (_, opened) = await SendAsync(HttpMethod.Post, "/v1/cases", """{"name": "pseudonyms"}""");
        var caseId = opened!["id"]!.GetValue<string>();
        var (_, caseView) = await SendAsync(HttpMethod.Post, $"/v1/cases/{caseId}/accounts", $$"""{"account": "{{sender}}"}""");

        var (readStatus, account) = await SendAsync(HttpMethod.Get, $"/v1/accounts/{sender}");
        var (_, enforcement) = await SendAsync(HttpMethod.Get, $"/v1/accounts/{sender}/enforcement");
        var (_, audit) = await SendAsync(HttpMethod.Get, $"/v1/audit?account={Uri.EscapeDataString(sender)}");
        var (_, labels) = await SendAsync(HttpMethod.Get, $"/v1/labels/{sender}");
        var (removeStatus, _) = await SendAsync(HttpMethod.Delete, $"/v1/cases/{caseId}/accounts/{sender}");

        var pseudonym = gateway.Ids.Stored(sender);
        Assert.Equal((HttpStatusCode.OK, 5, HttpStatusCode.OK), (eventsStatus, ingested!["accepted"]!.GetValue<int>(), checkStatus));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK), (actionStatus, labelStatus, removeStatus));
        // The same raw id is the same account over HTTP and gRPC, which answer for it by its pseudonym.
        Assert.Equal(pseudonym, httpDecision!["account"]!.GetValue<string>());
        Assert.Equal(pseudonym, grpcDecision.Account);
        // The operator read by raw id finds the account with its history, its ban, its audit trail and its label.
        Assert.Equal(HttpStatusCode.OK, readStatus);
        Assert.True(account!["known"]!.GetValue<bool>());
        Assert.Equal((pseudonym, "ban"), (account["account"]!.GetValue<string>(), account["action"]!.GetValue<string>()));
        Assert.NotEmpty(enforcement!["entries"]!.AsArray());
        Assert.Contains("account.ban", audit!["entries"]!.AsArray().Select(entry => entry!["action"]!.GetValue<string>()));
        Assert.Contains("spam", labels!["labels"]!.AsArray().Select(label => label!["reason"]!.GetValue<string>()));
        Assert.Equal([pseudonym], caseView!["accounts"]!.AsArray().Select(member => member!["id"]!.GetValue<string>()));

        // No grain was ever given a raw id, and in the cluster the account lives under its pseudonym only.
        var calls = gateway.GrainCalls.ToArray();
        Assert.Contains(calls, call => call.Contains(pseudonym, StringComparison.Ordinal));
        Assert.Contains(calls, call => call.Contains(gateway.Ids.Stored(recipient), StringComparison.Ordinal));
        Assert.Contains(calls, call => call.Contains(gateway.Ids.Stored(reporter), StringComparison.Ordinal));
        Assert.Contains(calls, call => call.Contains(gateway.Ids.Stored(grpcRecipient), StringComparison.Ordinal));
        Assert.Contains(calls, call => call.Contains("g-1", StringComparison.Ordinal)); // group ids are not account ids
        Assert.DoesNotContain(calls, call => raw.Any(id => call.Contains(id, StringComparison.Ordinal)));
        var grains = gateway.Services.GetRequiredService<IGrainFactory>();
        Assert.True((await grains.GetGrain<IAccountGrain>(pseudonym).GetViewAsync()).Known);
        Assert.False((await grains.GetGrain<IAccountGrain>(sender).GetViewAsync()).Known);
    }

    [Fact]
    public void A_pseudonym_is_a_deterministic_keyed_hmac_that_is_itself_a_valid_id()
    {
        var other = new AccountIds(Options.Create(new IdsOptions { PseudonymKey = Convert.ToBase64String(new byte[IdsOptions.MinKeyBytes]) }));

        var pseudonym = gateway.Ids.Stored("+4915550001111");

        Assert.Equal(pseudonym, gateway.Ids.Stored("+4915550001111"));
        Assert.Equal(AccountIds.PseudonymLength, pseudonym.Length);
        Assert.True(Identifiers.IsValid(pseudonym));
        Assert.NotEqual(pseudonym, gateway.Ids.Stored("+4915550001112"));
        Assert.NotEqual(pseudonym, other.Stored("+4915550001111"));
    }

    [Fact]
    public void Without_a_key_ids_are_stored_as_sent()
    {
        var ids = new AccountIds(Options.Create(new IdsOptions()));

        Assert.Equal("alice", ids.Stored("alice"));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQta2V5")] // "short-key": 9 bytes
    public void A_key_that_is_not_base64_of_at_least_32_bytes_is_refused_at_start_up(string key)
    {
        var result = new IdsOptionsValidator().Validate(null, new IdsOptions { PseudonymKey = key });

        Assert.True(result.Failed);
        Assert.Contains("Ids:PseudonymKey must be base64 of at least 32", result.FailureMessage, StringComparison.Ordinal);
    }
}
