using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ReputationGrid.Api;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Operations;
using ReputationGrid.OperatorConsole.Session;
using ReputationGrid.Contracts;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>An account: its standing and why, its signals and features, its history and links, and operator actions.</summary>
public sealed class AccountModel(AccountOperations accounts, Callers callers, IOptions<GatewayOptions> options, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    public ActionForm Action { get; set; } = new();

    public AccountView? View { get; private set; }

    /// <summary>What is wrong with the id or the action form, to show.</summary>
    public string? Error { get; private set; }

    /// <summary>The action checked and waiting for the operator to confirm it.</summary>
    public OperatorAction? Confirming { get; private set; }

    /// <summary>Set after an action was applied (the page is shown again by redirect).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public bool MayAct => HttpContext.May(ApiPolicies.ActOnAccounts);

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

    /// <summary>First step of an action: check it and ask for confirmation.</summary>
    public async Task<IActionResult> OnPostReviewAsync()
    {
        if (!MayAct)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await LoadAsync())
        {
            Confirming = Read();
        }

        return Page();
    }

    /// <summary>Second step: the confirmed action is applied through the same path as the HTTP API's, and audited.</summary>
    public async Task<IActionResult> OnPostApplyAsync()
    {
        if (!MayAct)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (Id is null || !Identifiers.IsValid(Id) || Read() is not { } action)
        {
            await LoadAsync();
            return Page();
        }

        await accounts.ApplyActionAsync(HttpContext, Id, action);
        return Redirect($"{Show.AccountPath(Id)}?done={Uri.EscapeDataString(Action.Command!)}");
    }

    private OperatorAction? Read()
    {
        var action = Action.Read(time.GetUtcNow(), options.Value.MaxSuspension, callers.Actor(HttpContext), entity: false, out var error);
        Error ??= error;
        return action;
    }

    /// <summary>Reads the account; false when no valid id was given.</summary>
    private async Task<bool> LoadAsync()
    {
        Now = time.GetUtcNow();
        if (string.IsNullOrEmpty(Id))
        {
            return false;
        }

        if (!Identifiers.IsValid(Id))
        {
            Error = $"An account id is {Identifiers.Rule}.";
            return false;
        }

        View = await accounts.GetAsync(Id);
        return true;
    }
}
