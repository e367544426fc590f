using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Cases;
using ReputationGrid.Contracts;
using ReputationGrid.OperatorConsole.Session;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>The cases, newest first; opening one; and adding an account or entity to one from its page.</summary>
public sealed class CasesModel(CaseService cases, CaseInput input) : PageModel
{
    /// <summary>Cases listed per page, and offered by the account and entity pages to add to.</summary>
    public const int PageSize = 50;

    /// <summary>The cursor of the page shown (older cases than it); the newest when null.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    public CaseSummaryPage List { get; private set; } = new([], null);

    public string? Error { get; private set; }

    public bool MayEdit => HttpContext.May(ApiPolicies.EditCases);

    public async Task OnGetAsync() => List = await cases.ListAsync(Before, PageSize);

    public async Task<IActionResult> OnPostOpenAsync()
    {
        if (!MayEdit)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (input.Open(Name, CaseForms.Blank(Description), out var error) is not { } open)
        {
            return await ShowAsync(error!);
        }

        var change = await cases.OpenAsync(HttpContext, open.Name, open.Description);
        return change.Case is { } opened ? Redirect(CaseForms.Done(opened.Id, "opened")) : await ShowAsync(change.Error!);
    }

    /// <summary>From an account's or an entity's page: adds it (<paramref name="kind"/> <c>account</c> or <c>entity</c>) to the chosen case.</summary>
    public async Task<IActionResult> OnPostAddMemberAsync(string? caseId, string? kind, string? member, bool stored)
    {
        if (!MayEdit)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        return await CaseForms.AddMemberAsync(HttpContext, cases, input, caseId, kind, member, stored) is { } error ? await ShowAsync(error) : Redirect(CaseForms.Done(caseId!, $"added {kind}"));
    }

    private async Task<IActionResult> ShowAsync(string error)
    {
        Error = error;
        await OnGetAsync();
        return Page();
    }
}
