using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Evidence;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>Account review (<c>GET /v1/accounts/{id}</c>, its enforcement record) and operator overrides (<c>POST /v1/accounts/{id}/actions</c>, audited).</summary>
internal static class AccountsEndpoint
{
    public static async Task<IResult> GetAsync(string id, AccountOperations accounts, AccountIds ids)
    {
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        var view = await accounts.GetAsync(ids.Stored(id));
        return Results.Json(AccountResponse.From(view), GatewayJsonContext.Default.AccountResponse);
    }

    public static async Task<IResult> ApplyActionAsync(
        string id, HttpRequest request, AccountOperations accounts, AccountIds ids, Callers callers, IOptions<GatewayOptions> options, TimeProvider time)
    {
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        var (action, problem) = OperatorActionRequest.Read(request, ids, callers, options, time);
        if (action is null)
        {
            return problem!;
        }

        var view = await accounts.ApplyActionAsync(request.HttpContext, ids.Stored(id), action);
        return Results.Json(AccountResponse.From(view), GatewayJsonContext.Default.AccountResponse);
    }

    /// <summary><c>GET /v1/accounts/{id}/enforcement</c> with <c>limit</c> and <c>cursor</c>: the account's complete enforcement record, newest first.</summary>
    public static async Task<IResult> GetEnforcementAsync(string id, HttpRequest request, EnforcementRecords records, AccountIds ids)
    {
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        var (page, problem) = PageQuery.Read(request.Query);
        if (problem is not null)
        {
            return problem;
        }

        var account = ids.Stored(id);
        var entries = await records.ReadAsync(account, page.Before, page.Limit);
        return Results.Json(EnforcementResponse.From(account, entries), GatewayJsonContext.Default.EnforcementResponse);
    }

    private static IResult InvalidId() => Problems.Field("id", $"id: must be {Identifiers.Rule}");
}
