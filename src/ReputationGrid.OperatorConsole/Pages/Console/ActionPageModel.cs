using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ReputationGrid.Api;
using ReputationGrid.Api.Auth;
using ReputationGrid.Contracts;
using ReputationGrid.OperatorConsole.Session;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>
/// A page that shows one subject and takes operator actions on it in two steps: review (checked, then shown for
/// confirmation) and apply (through the same path as the HTTP API's, audited), for those whose role may act.
/// </summary>
public abstract class ActionPageModel(Callers callers, IOptions<GatewayOptions> options, TimeProvider time) : PageModel
{
    [BindProperty]
    public ActionForm Action { get; set; } = new();

    /// <summary>What is wrong with the subject or the action form, to show.</summary>
    public string? Error { get; protected set; }

    /// <summary>The action checked and waiting for the operator to confirm it.</summary>
    public OperatorAction? Confirming { get; private set; }

    /// <summary>Set after an action was applied (the page is shown again by redirect).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public bool MayAct => HttpContext.May(ApiPolicies.ActOnAccounts);

    /// <summary>Whether the subject is an entity, whose actions are fewer.</summary>
    protected abstract bool IsEntity { get; }

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

    /// <summary>Second step: the confirmed action is applied, and the page shown again with what was done.</summary>
    public async Task<IActionResult> OnPostApplyAsync()
    {
        if (!MayAct)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (Subject() is not { } subject || Read() is not { } action)
        {
            await LoadAsync();
            return Page();
        }

        var path = await ApplyAsync(subject, action);
        return Redirect(QueryHelpers.AddQueryString(path, "done", Action.Command!));
    }

    protected DateTimeOffset UtcNow() => time.GetUtcNow();

    /// <summary>Reads the subject to show; false when none, or no valid one, was given.</summary>
    protected abstract Task<bool> LoadAsync();

    /// <summary>The subject's key when the request names a valid one.</summary>
    protected abstract string? Subject();

    /// <summary>Applies the action to the subject and returns the page's path to show it again.</summary>
    protected abstract Task<string> ApplyAsync(string subject, OperatorAction action);

    private OperatorAction? Read()
    {
        var action = Action.Read(UtcNow(), options.Value.MaxSuspension, callers.Actor(HttpContext), IsEntity, out var error);
        Error ??= error;
        return action;
    }
}
