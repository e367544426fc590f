using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Audit;
using ReputationGrid.Api.Auth;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Api.Endpoints;

/// <summary>
/// The policy lifecycle under <c>/v1/policy</c>: the live document, its versions, publishing and rolling back, and the
/// shadow candidate with its report. Documents are validated by the policy grain; every change is audited.
/// </summary>
internal static class PolicyEndpoint
{
    public const int MaxPageSize = 500;

    private static IPolicyGrain Policy(IGrainFactory grains) => grains.GetGrain<IPolicyGrain>(IPolicyGrain.Key);

    /// <summary><c>GET /v1/policy</c>: the live document, exactly as <c>PUT</c> takes it.</summary>
    public static async Task<IResult> GetAsync(IGrainFactory grains) => Document((await Policy(grains).GetLiveAsync()).Document);

    /// <summary><c>GET /v1/policy/versions</c>: the versions kept, newest first, with who made each and when.</summary>
    public static async Task<IResult> GetVersionsAsync(IGrainFactory grains)
    {
        var history = await Policy(grains).GetVersionsAsync();
        return Results.Json(PolicyVersionsResponse.From(history), GatewayJsonContext.Default.PolicyVersionsResponse);
    }

    /// <summary><c>PUT /v1/policy</c>: makes a new version live across the cluster.</summary>
    public static Task<IResult> PublishAsync(HttpRequest request, IGrainFactory grains, Callers callers, AuditTrail audit) =>
        ChangeAsync(request, "policy.publish", callers, audit, (document, author) => Policy(grains).PublishAsync(document, author));

    /// <summary><c>PUT /v1/policy/shadow</c>: installs a candidate evaluated beside the live policy, never enforced.</summary>
    public static Task<IResult> InstallShadowAsync(HttpRequest request, IGrainFactory grains, Callers callers, AuditTrail audit) =>
        ChangeAsync(request, "policy.shadow.install", callers, audit, (document, author) => Policy(grains).InstallShadowAsync(document, author));

    /// <summary><c>POST /v1/policy/rollback</c> with <c>{"version": "…"}</c>: makes an earlier version live again.</summary>
    public static async Task<IResult> RollbackAsync(HttpRequest request, IGrainFactory grains, Callers callers, AuditTrail audit)
    {
        if (ReadJson(request, out var problem) is not { } body)
        {
            return problem!;
        }

        string? version;
        using (body)
        {
            version = body.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("version", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }

        if (string.IsNullOrEmpty(version))
        {
            return Problems.Field("version", "version: the earlier version to make live is required");
        }

        var change = await Policy(grains).RollbackAsync(version, callers.Actor(request.HttpContext));
        return await AnswerAsync(request, change, "policy.rollback", audit);
    }

    /// <summary><c>DELETE /v1/policy/shadow</c>: removes the candidate and its counts.</summary>
    public static async Task<IResult> RemoveShadowAsync(HttpContext context, IGrainFactory grains, AuditTrail audit)
    {
        if (!await Policy(grains).RemoveShadowAsync())
        {
            return NoShadow();
        }

        await audit.RecordAsync(context, AuditTrail.PolicySubject, "policy.shadow.remove", []);
        return Results.NoContent();
    }

    /// <summary><c>GET /v1/policy/shadow/report?offset=&amp;limit=</c>: the candidate's comparison since it was installed.</summary>
    public static async Task<IResult> GetShadowReportAsync(int? offset, int? limit, IGrainFactory grains)
    {
        if (offset is < 0 || limit is < 1 or > MaxPageSize)
        {
            return Problems.Field("limit", $"offset: must not be negative; limit: must be between 1 and {MaxPageSize}");
        }

        var report = await Policy(grains).GetShadowReportAsync(offset ?? 0, limit ?? 100);
        return report is null
            ? NoShadow()
            : Results.Json(ShadowReportResponse.From(report, offset ?? 0), GatewayJsonContext.Default.ShadowReportResponse);
    }

    private static async Task<IResult> ChangeAsync(
        HttpRequest request, string action, Callers callers, AuditTrail audit, Func<string, string, Task<PolicyChange>> change)
    {
        if (ReadJson(request, out var problem) is not { } body)
        {
            return problem!;
        }

        string document;
        using (body)
        {
            document = body.RootElement.GetRawText();
        }

        return await AnswerAsync(request, await change(document, callers.Actor(request.HttpContext)), action, audit);
    }

    /// <summary>A refused change is a 400 naming each bad key; an accepted one is audited and answers the document now in force.</summary>
    private static async Task<IResult> AnswerAsync(HttpRequest request, PolicyChange change, string action, AuditTrail audit)
    {
        if (change.Accepted is not { } accepted)
        {
            var errors = change.Errors.GroupBy(PolicyDocument.KeyOf).ToDictionary(g => g.Key, g => g.ToArray());
            return Results.ValidationProblem(errors, title: "The policy change was refused; nothing changed.", detail: string.Join(" ", change.Errors));
        }

        await audit.RecordAsync(request.HttpContext, AuditTrail.PolicySubject, action, new() { ["version"] = accepted.Version });
        return Document(accepted.Document);
    }

    /// <summary>The buffered JSON body, or the problem to answer: 415 for one that is not JSON, 400 for one that does not parse.</summary>
    private static JsonDocument? ReadJson(HttpRequest request, out IResult? problem)
    {
        if (!RequestBody.IsJson(request, out problem))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(RequestBody.Of(request));
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            problem = Problems.Field("body", $"body: not valid JSON ({e.Message})");
            return null;
        }
    }

    private static IResult Document(string document) => Results.Content(document, "application/json");

    private static IResult NoShadow() =>
        Results.Problem(title: "No shadow policy is installed.", detail: "Install one with PUT /v1/policy/shadow.", statusCode: StatusCodes.Status404NotFound);
}
