using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Grpc.V1;

namespace ReputationGrid.Api.Tests.Auth;

public enum Outcome
{
    Allowed,
    Unauthenticated,
    Forbidden,
}

/// <summary>One call of the API, HTTP or gRPC, and the roles that may make it.</summary>
public sealed record ApiCall(string Name, string[] RolesAllowed, Func<AuthenticatedGatewayFixture, string?, CancellationToken, Task<Outcome>> Make);

/// <summary>Every endpoint and gRPC method against every role, with API keys and with JWTs, and without a token.</summary>
public sealed class RoleTests(AuthenticatedGatewayFixture gateway) : IClassFixture<AuthenticatedGatewayFixture>
{
    /// <summary>What the issue asks of each role; admin may do everything.</summary>
    public static readonly ApiCall[] Calls =
    [
        Http("POST /v1/events", [Roles.Sender, Roles.Admin], HttpMethod.Post, "/v1/events",
            """{"events": [{"type": "contact_added", "account": "roles-a", "contact": "b"}]}"""),
        Http("POST /v1/decisions/send", [Roles.Sender, Roles.Admin], HttpMethod.Post, "/v1/decisions/send",
            """{"account": "roles-a", "recipient": "b", "recipientIsContact": true}"""),
        Http("GET /v1/accounts/{id}", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/accounts/roles-a"),
        Http("POST /v1/accounts/{id}/actions", [Roles.Operator, Roles.Admin], HttpMethod.Post, "/v1/accounts/roles-b/actions",
            """{"action": "allowlist", "note": "role test"}"""),
        Http("GET /v1/accounts/{id}/enforcement", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/accounts/roles-b/enforcement"),
        Http("GET /v1/entities/{kind}/{id}", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/entities/device/roles-phone"),
        Http("POST /v1/entities/{kind}/{id}/actions", [Roles.Operator, Roles.Admin], HttpMethod.Post, "/v1/entities/device/roles-phone/actions",
            """{"action": "clear", "note": "role test"}"""),
        Http("POST /v1/cases", [Roles.Operator, Roles.Admin], HttpMethod.Post, "/v1/cases", """{"name": "role test"}""", HttpStatusCode.Created),
        Http("GET /v1/cases", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/cases"),
        // Cases that do not exist: the roles allowed are answered 404, and nothing is made.
        Http("GET /v1/cases/{id}", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/cases/case-none", answered: HttpStatusCode.NotFound),
        Http("POST /v1/cases/{id}/accounts", [Roles.Operator, Roles.Admin], HttpMethod.Post, "/v1/cases/case-none/accounts",
            """{"account": "roles-a"}""", HttpStatusCode.NotFound),
        Http("DELETE /v1/cases/{id}/accounts/{account}", [Roles.Operator, Roles.Admin], HttpMethod.Delete, "/v1/cases/case-none/accounts/roles-a", answered: HttpStatusCode.NotFound),
        Http("POST /v1/cases/{id}/entities", [Roles.Operator, Roles.Admin], HttpMethod.Post, "/v1/cases/case-none/entities",
            """{"entity": "device/roles-phone"}""", HttpStatusCode.NotFound),
        Http("DELETE /v1/cases/{id}/entities/{kind}/{id}", [Roles.Operator, Roles.Admin], HttpMethod.Delete, "/v1/cases/case-none/entities/device/roles-phone", answered: HttpStatusCode.NotFound),
        Http("POST /v1/cases/{id}/notes", [Roles.Operator, Roles.Admin], HttpMethod.Post, "/v1/cases/case-none/notes", """{"text": "x"}""", HttpStatusCode.NotFound),
        Http("POST /v1/cases/{id}/evidence", [Roles.Operator, Roles.Admin], HttpMethod.Post, "/v1/cases/case-none/evidence",
            """{"source": "s", "seenAt": "2026-11-20T10:00:00Z", "link": "https://example.org"}""", HttpStatusCode.NotFound),
        Http("GET /v1/cases/{id}/evidence/{number}", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/cases/case-none/evidence/1", answered: HttpStatusCode.NotFound),
        // This host has no signing key: the roles allowed are told so (501), the others are forbidden first.
        Http("GET /v1/cases/{id}/export", [Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/cases/case-none/export", answered: HttpStatusCode.NotImplemented),
        Http("GET /v1/audit", [Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/audit?account=roles-b"),
        Http("GET /v1/policy", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/policy"),
        Http("GET /v1/policy/versions", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/policy/versions"),
        // Changes are sent invalid, so that the roles allowed are answered 400 and the policy stays as it is.
        Http("PUT /v1/policy", [Roles.Admin], HttpMethod.Put, "/v1/policy", """{"version": ""}""", HttpStatusCode.BadRequest),
        Http("POST /v1/policy/rollback", [Roles.Admin], HttpMethod.Post, "/v1/policy/rollback", """{"version": "never"}""", HttpStatusCode.BadRequest),
        Http("PUT /v1/policy/shadow", [Roles.Admin], HttpMethod.Put, "/v1/policy/shadow", """{"version": ""}""", HttpStatusCode.BadRequest),
        Http("GET /v1/policy/shadow/report", [Roles.Operator, Roles.Auditor, Roles.Admin], HttpMethod.Get, "/v1/policy/shadow/report", answered: HttpStatusCode.NotFound),
        Http("DELETE /v1/policy/shadow", [Roles.Admin], HttpMethod.Delete, "/v1/policy/shadow", answered: HttpStatusCode.NotFound),
        Grpc("gRPC CheckSend", [Roles.Sender, Roles.Admin], (client, options) =>
            client.CheckSendAsync(new CheckSendRequest { Account = "roles-a", Recipient = "b", RecipientIsContact = true }, options).ResponseAsync),
        Grpc("gRPC RecordEvents", [Roles.Sender, Roles.Admin], (client, options) =>
            client.RecordEventsAsync(new RecordEventsRequest { Events = { new Event { Type = "contact_added", Account = "roles-a", Contact = "c" } } }, options).ResponseAsync),
    ];

    public static TheoryData<string, string, string> EveryCallByEveryRole()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var call in Calls)
        {
            foreach (var kind in new[] { "key", "jwt" })
            {
                foreach (var role in Roles.All)
                {
                    cases.Add(call.Name, kind, role);
                }
            }
        }

        return cases;
    }

    public static TheoryData<string> EveryCall() => [.. Calls.Select(call => call.Name)];

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(EveryCallByEveryRole))]
    public async Task A_call_is_allowed_to_its_roles_and_forbidden_to_the_others(string callName, string kind, string role)
    {
        var call = Calls.Single(c => c.Name == callName);

        var outcome = await call.Make(gateway, gateway.Credential(kind, role), Cancel);

        Assert.Equal(call.RolesAllowed.Contains(role) ? Outcome.Allowed : Outcome.Forbidden, outcome);
    }

    [Theory]
    [MemberData(nameof(EveryCall))]
    public async Task A_call_without_a_valid_token_is_unauthenticated(string callName)
    {
        var call = Calls.Single(c => c.Name == callName);
        var stranger = new TestTokenIssuer();

        Assert.Equal(Outcome.Unauthenticated, await call.Make(gateway, null, Cancel));
        Assert.Equal(Outcome.Unauthenticated, await call.Make(gateway, TestApiKey.Create("nobody", Roles.Admin).Key, Cancel));
        Assert.Equal(Outcome.Unauthenticated, await call.Make(gateway, stranger.Token("admin-person", [Roles.Admin]), Cancel));
        Assert.Equal(Outcome.Unauthenticated, await call.Make(gateway, gateway.Issuer.Token("admin-person", [Roles.Admin], audience: "another-service"), Cancel));
    }

    [Fact]
    public async Task A_token_with_no_known_role_is_forbidden_everything()
    {
        var token = gateway.Issuer.Token("someone", ["viewer"]);
        foreach (var call in Calls)
        {
            Assert.Equal(Outcome.Forbidden, await call.Make(gateway, token, Cancel));
        }
    }

    [Fact]
    public async Task A_refusal_says_nothing_about_whether_the_account_exists()
    {
        var sender = gateway.Keys[Roles.Sender].Key;
        await Send(gateway.Http, HttpMethod.Post, "/v1/events", sender, """{"events": [{"type": "contact_added", "account": "roles-known", "contact": "b"}]}""", Cancel);

        var known = await Send(gateway.Http, HttpMethod.Get, "/v1/accounts/roles-known", sender, null, Cancel);
        var unknown = await Send(gateway.Http, HttpMethod.Get, "/v1/accounts/roles-never-seen", sender, null, Cancel);
        var anonymous = await Send(gateway.Http, HttpMethod.Get, "/v1/accounts/roles-known", null, null, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, known.Status);
        Assert.Equal(WithoutTraceId(known.Body), WithoutTraceId(unknown.Body));
        Assert.DoesNotContain("roles-known", known.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("roles-known", anonymous.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_stay_anonymous()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(gateway.Http, HttpMethod.Get, "/healthz", null, null, Cancel)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(gateway.Http, HttpMethod.Get, "/healthz/live", null, null, Cancel)).Status);
    }

    private static string WithoutTraceId(string problem)
    {
        using var document = JsonDocument.Parse(problem);
        return string.Join(",", document.RootElement.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));
    }

    /// <param name="answered">What the call answers a caller who may make it.</param>
    private static ApiCall Http(string name, string[] roles, HttpMethod method, string path, string? body = null, HttpStatusCode answered = HttpStatusCode.OK) =>
        new(name, roles, async (gateway, token, cancel) =>
        {
            var (status, problem, response) = await Send(gateway.Http, method, path, token, body, cancel);
            switch (status)
            {
                case HttpStatusCode.Unauthorized:
                    Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    return Outcome.Unauthenticated;
                case HttpStatusCode.Forbidden:
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    return Outcome.Forbidden;
                case var allowed when allowed == answered:
                    return Outcome.Allowed;
                default:
                    throw new Xunit.Sdk.XunitException($"{name} answered {(int)status}: {problem}");
            }
        });

    private static ApiCall Grpc(string name, string[] roles, Func<Reputation.ReputationClient, CallOptions, Task> call) =>
        new(name, roles, async (gateway, token, cancel) =>
        {
            var headers = new Metadata();
            if (token is not null)
            {
                headers.Add("Authorization", $"Bearer {token}");
            }

            try
            {
                await call(new Reputation.ReputationClient(gateway.Grpc), new CallOptions(headers, cancellationToken: cancel));
                return Outcome.Allowed;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                return Outcome.Unauthenticated;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
            {
                return Outcome.Forbidden;
            }
        });

    internal static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Send(
        HttpClient http, HttpMethod method, string path, string? token, string? body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request, cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancel), response);
    }
}
