using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Auth;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Operations;

namespace ReputationGrid.Api.Endpoints;

/// <summary>Entity review (<c>GET /v1/entities/{kind}/{id}</c>) and entity bans and clears (<c>POST /v1/entities/{kind}/{id}/actions</c>).</summary>
internal static class EntitiesEndpoint
{
    public static async Task<IResult> GetAsync(string kind, string id, int? offset, int? limit, EntityOperations entities)
    {
        if (EntityOperations.Key(kind, id) is not { } key)
        {
            return InvalidEntity();
        }

        if (offset is < 0 || limit is < 1 or > EntityOperations.MaxPageSize)
        {
            return Problems.Field("limit", $"offset: must not be negative; limit: must be between 1 and {EntityOperations.MaxPageSize}");
        }

        var view = await entities.GetAsync(key, offset ?? 0, limit ?? 100);
        return Results.Json(EntityResponse.From(view), GatewayJsonContext.Default.EntityResponse);
    }

    public static async Task<IResult> ApplyActionAsync(
        string kind, string id, HttpRequest request, EntityOperations entities, AccountIds ids, Callers callers, IOptions<GatewayOptions> options, TimeProvider time)
    {
        if (EntityOperations.Key(kind, id) is not { } key)
        {
            return InvalidEntity();
        }

        var (action, problem) = OperatorActionRequest.Read(request, ids, callers, options, time);
        if (action is null)
        {
            return problem!;
        }

        if (!OperatorCommands.AppliesToEntities(action.Command))
        {
            return Problems.Field("action", "action: an entity can only be banned or cleared");
        }

        var view = await entities.ApplyActionAsync(request.HttpContext, key, action);
        return Results.Json(EntityResponse.From(view), GatewayJsonContext.Default.EntityResponse);
    }

    public static IResult InvalidEntity() => Problems.Field("kind", "kind: must be device, network or content; id: 1 to 128 characters");
}
