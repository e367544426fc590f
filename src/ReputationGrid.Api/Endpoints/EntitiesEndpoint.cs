using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Audit;
using ReputationGrid.Api.Auth;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Linking;

namespace ReputationGrid.Api.Endpoints;

/// <summary>Entity review (<c>GET /v1/entities/{kind}/{id}</c>) and entity bans and clears (<c>POST /v1/entities/{kind}/{id}/actions</c>).</summary>
internal static class EntitiesEndpoint
{
    public const int MaxPageSize = 500;

    public static async Task<IResult> GetAsync(string kind, string id, int? offset, int? limit, IGrainFactory grains)
    {
        if (Key(kind, id) is not { } key)
        {
            return InvalidEntity();
        }

        if (offset is < 0 || limit is < 1 or > MaxPageSize)
        {
            return Problems.Field("limit", $"offset: must not be negative; limit: must be between 1 and {MaxPageSize}");
        }

        var view = await grains.GetGrain<IEntityGrain>(key).GetViewAsync(offset ?? 0, limit ?? 100);
        return Results.Json(EntityResponse.From(view), GatewayJsonContext.Default.EntityResponse);
    }

    public static async Task<IResult> ApplyActionAsync(
        string kind, string id, HttpRequest request, IGrainFactory grains, Callers callers, AuditTrail audit, IOptions<GatewayOptions> options, TimeProvider time)
    {
        if (Key(kind, id) is not { } key)
        {
            return InvalidEntity();
        }

        var (action, problem) = OperatorActionRequest.Read(request, callers, options, time);
        if (action is null)
        {
            return problem!;
        }

        if (action.Command is not (OperatorCommand.Ban or OperatorCommand.Clear))
        {
            return Problems.Field("action", "action: an entity can only be banned or cleared");
        }

        var view = await grains.GetGrain<IEntityGrain>(key).ApplyOperatorActionAsync(action);
        await audit.RecordAsync(request.HttpContext, AuditTrail.EntitySubject(key), $"entity.{RequestParsers.Name(action.Command)}", AuditTrail.Details(action));
        return Results.Json(EntityResponse.From(view), GatewayJsonContext.Default.EntityResponse);
    }

    /// <summary>The key of an entity written <c>kind/id</c>, or null when it is not a valid one.</summary>
    public static string? Key(string kindSlashId) =>
        kindSlashId.IndexOf('/') is var slash and >= 0 ? Key(kindSlashId[..slash], kindSlashId[(slash + 1)..]) : null;

    /// <summary>The entity's key, <c>kind/id</c>, or null when either part is not valid.</summary>
    public static string? Key(string kind, string id) =>
        EntityKinds.TryParse(kind, out var entityKind) && id.Length is > 0 and <= 128 ? EntityKinds.Key(entityKind, id) : null;

    public static IResult InvalidEntity() => Problems.Field("kind", "kind: must be device, network or content; id: 1 to 128 characters");
}
