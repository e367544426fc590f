using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Audit;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring.Linking;

namespace ReputationGrid.Api.Operations;

/// <summary>Entity review and entity bans and clears, shared by the HTTP API and the console: an action is taken, then audited.</summary>
public sealed class EntityOperations(IGrainFactory grains, AuditTrail audit)
{
    public const int MaxPageSize = 500;

    /// <summary>The key of an entity written <c>kind/id</c>, or null when it is not a valid one.</summary>
    public static string? Key(string kindSlashId) =>
        kindSlashId.IndexOf('/') is var slash and >= 0 ? Key(kindSlashId[..slash], kindSlashId[(slash + 1)..]) : null;

    /// <summary>The entity's key, <c>kind/id</c>, or null when either part is not valid.</summary>
    public static string? Key(string kind, string id) =>
        EntityKinds.TryParse(kind, out var entityKind) && id.Length is > 0 and <= 128 ? EntityKinds.Key(entityKind, id) : null;

    /// <param name="key">A key made by <see cref="Key"/>.</param>
    public Task<EntityView> GetAsync(string key, int offset, int limit) => grains.GetGrain<IEntityGrain>(key).GetViewAsync(offset, limit);

    /// <param name="action">A command for which <see cref="OperatorCommands.AppliesToEntities"/> holds.</param>
    public async Task<EntityView> ApplyActionAsync(HttpContext context, string key, OperatorAction action)
    {
        var view = await grains.GetGrain<IEntityGrain>(key).ApplyOperatorActionAsync(action);
        await audit.RecordAsync(context, AuditTrail.EntitySubject(key), $"entity.{OperatorCommands.Name(action.Command)}", AuditTrail.Details(action));
        return view;
    }
}
