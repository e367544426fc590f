using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Audit;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>
/// <c>GET /v1/audit?account=&lt;id&gt;</c>, <c>?entity=&lt;kind&gt;/&lt;id&gt;</c> or <c>?case=&lt;id&gt;</c>, with <c>limit</c>
/// and <c>cursor</c>: an account's, an entity's or a case's audit trail, newest first, a page at a time.
/// </summary>
internal static class AuditEndpoint
{
    public static async Task<IResult> GetAsync(HttpRequest request, AuditTrail audit, AccountIds ids)
    {
        var query = request.Query;
        var given = (query.ContainsKey("account") ? 1 : 0) + (query.ContainsKey("entity") ? 1 : 0) + (query.ContainsKey("case") ? 1 : 0);
        if (given != 1)
        {
            return Problems.Field("account", "account, entity or case: exactly one is required");
        }

        string subject;
        if (query.ContainsKey("entity"))
        {
            if (EntityOperations.Key(query["entity"].ToString()) is not { } key)
            {
                return EntitiesEndpoint.InvalidEntity();
            }

            subject = AuditTrail.EntitySubject(key);
        }
        else if (query.ContainsKey("case"))
        {
            var id = query["case"].ToString();
            if (!Identifiers.IsValid(id))
            {
                return Problems.Field("case", $"case: must be {Identifiers.Rule}");
            }

            subject = AuditTrail.CaseSubject(id);
        }
        else
        {
            var account = query["account"].ToString();
            if (!Identifiers.IsValid(account))
            {
                return Problems.Field("account", $"account: must be {Identifiers.Rule}");
            }

            subject = AuditTrail.AccountSubject(ids.Stored(account));
        }

        var (page, problem) = PageQuery.Read(query);
        if (problem is not null)
        {
            return problem;
        }

        var entries = await audit.ReadAsync(subject, page.Before, page.Limit);
        return Results.Json(AuditResponse.From(subject, entries), GatewayJsonContext.Default.AuditResponse);
    }
}
