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

    /// <summary>Whether <see cref="Id"/> is the id as stored (a link from a view) rather than as the platform names the account.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Stored { get; set; }

    public AccountView? View { get; private set; }

    public DateTimeOffset Now { get; private set; }

    protected override bool IsEntity => false;

    protected override string? Subject() => Id is not null && Identifiers.IsValid(Id) ? Id : null;

    protected override async Task<string> ApplyAsync(string subject, OperatorAction action)
    {
        await accounts.ApplyActionAsync(HttpContext, StoredId(subject), action);
        return Stored ? Show.StoredAccountPath(subject) : Show.AccountPath(subject);
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

        View = await accounts.GetAsync(StoredId(Id));
        return true;
    }

    private string StoredId(string id) => Stored ? id : ids.Stored(id);
}
