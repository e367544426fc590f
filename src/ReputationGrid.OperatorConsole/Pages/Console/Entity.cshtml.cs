using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ReputationGrid.Api;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;
using ReputationGrid.OperatorConsole.Session;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>A device, network or content entity: its counters and risk, its listed accounts with their standing, and bans and clears.</summary>
public sealed class EntityModel(EntityOperations entities, AccountOperations accounts, Callers callers, IOptions<GatewayOptions> options, TimeProvider time) : PageModel
{
    /// <summary>Listed accounts shown per page, each read for its standing.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string Kind { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public int Offset { get; set; }

    [BindProperty]
    public ActionForm Action { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public EntityView? View { get; private set; }

    /// <summary>The standing of each listed account on this page, by account id.</summary>
    public IReadOnlyDictionary<string, AccountView> Standings { get; private set; } = new Dictionary<string, AccountView>();

    public string? Error { get; private set; }

    public OperatorAction? Confirming { get; private set; }

    public bool MayAct => HttpContext.May(ApiPolicies.ActOnAccounts);

    public string Key => $"{Kind}/{Id}";

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

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

    public async Task<IActionResult> OnPostApplyAsync()
    {
        if (!MayAct)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (EntityOperations.Key(Kind, Id) is not { } key || Read() is not { } action)
        {
            await LoadAsync();
            return Page();
        }

        await entities.ApplyActionAsync(HttpContext, key, action);
        return Redirect($"{Show.EntityPath(key)}?done={Uri.EscapeDataString(Action.Command!)}");
    }

    private OperatorAction? Read()
    {
        var action = Action.Read(time.GetUtcNow(), options.Value.MaxSuspension, callers.Actor(HttpContext), entity: true, out var error);
        Error ??= error;
        return action;
    }

    private async Task<bool> LoadAsync()
    {
        if (EntityOperations.Key(Kind, Id) is not { } key || Offset < 0)
        {
            Error = "An entity is a kind (device, network or content) and an id of 1 to 128 characters.";
            return false;
        }

        View = await entities.GetAsync(key, Offset, PageSize);
        var standings = await Task.WhenAll(View.Accounts.Select(linked => accounts.GetAsync(linked.Account)));
        Standings = standings.ToDictionary(view => view.Account, StringComparer.Ordinal);
        return true;
    }
}
