using System.Globalization;
using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Audit;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>
/// <c>GET /v1/audit?account=&lt;id&gt;</c> or <c>?entity=&lt;kind&gt;/&lt;id&gt;</c>, with <c>limit</c> and <c>cursor</c>:
/// an account's or an entity's audit trail, newest first, a page at a time.
/// </summary>
internal static class AuditEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static async Task<IResult> GetAsync(HttpRequest request, AuditTrail audit)
    {
        var query = request.Query;
        if (query.ContainsKey("account") == query.ContainsKey("entity"))
        {
            return Problems.Field("account", "account or entity: exactly one is required");
        }

        string subject;
        if (query.ContainsKey("entity"))
        {
            var entity = query["entity"].ToString();
            var slash = entity.IndexOf('/');
            if (slash < 0 || EntitiesEndpoint.Key(entity[..slash], entity[(slash + 1)..]) is not { } key)
            {
                return EntitiesEndpoint.InvalidEntity();
            }

            subject = AuditTrail.EntitySubject(key);
        }
        else
        {
            var account = query["account"].ToString();
            if (!Identifiers.IsValid(account))
            {
                return Problems.Field("account", $"account: must be {Identifiers.Rule}");
            }

            subject = AuditTrail.AccountSubject(account);
        }

        var limit = DefaultLimit;
        if (query.ContainsKey("limit")
            && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return Problems.Field("limit", $"limit: must be a whole number from 1 to {MaxLimit}");
        }

        long? before = null;
        if (query.ContainsKey("cursor"))
        {
            if (!long.TryParse(query["cursor"], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
            {
                return Problems.Field("cursor", "cursor: must be the next value of an earlier page");
            }

            before = cursor;
        }

        var page = await audit.ReadAsync(subject, before, limit);
        return Results.Json(AuditResponse.From(subject, page), GatewayJsonContext.Default.AuditResponse);
    }
}
