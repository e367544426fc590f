using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ReputationGrid.Api;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>An account: its standing and why, its signals and features, its history and links, and operator actions.</summary>
public sealed class AccountModel(AccountOperations accounts, AccountIds ids, Callers callers, IOptions<GatewayOptions> options, TimeProvider time)
    : ActionPageModel(callers, options, time)
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    public AccountView? View { get; private set; }

    public DateTimeOffset Now { get; private set; }

    protected override bool IsEntity => false;

    protected override string? Subject() => Id is not null && Identifiers.IsValid(Id) ? Id : null;

    protected override async Task<string> ApplyAsync(string subject, OperatorAction action)
    {
        await accounts.ApplyActionAsync(HttpContext, ids.Stored(subject), action);
        return Show.AccountPath(subject);
    }

    protected override async Task<bool> LoadAsync()
    {
        Now = UtcNow();
        if (string.IsNullOrEmpty(Id))
        {
            return false;
        }

        if (!Identifiers.IsValid(Id))
        {
            Error = $"An account id is {Identifiers.Rule}.";
            return false;
        }

        View = await accounts.GetAsync(ids.Stored(Id));
        return true;
    }
}
