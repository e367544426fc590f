using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Audit;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Operations;

/// <summary>Account review and operator actions, shared by the HTTP API and the console: an action is taken, then audited.</summary>
public sealed class AccountOperations(AccountGrains accounts, AuditTrail audit)
{
    public Task<AccountView> GetAsync(string id) => accounts.Get(id).GetViewAsync();

    /// <param name="context">The request acting: its caller and address are audited.</param>
    public async Task<AccountView> ApplyActionAsync(HttpContext context, string id, OperatorAction action)
    {
        var view = await accounts.Get(id).ApplyOperatorActionAsync(action);
        await audit.RecordAsync(context, AuditTrail.AccountSubject(id), $"account.{OperatorCommands.Name(action.Command)}", AuditTrail.Details(action));
        return view;
    }
}
