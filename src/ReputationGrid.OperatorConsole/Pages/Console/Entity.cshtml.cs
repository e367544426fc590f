using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ReputationGrid.Api;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>A device, network or content entity: its counters and risk, its listed accounts with their standing, and bans and clears.</summary>
public sealed class EntityModel(EntityOperations entities, AccountOperations accounts, Callers callers, IOptions<GatewayOptions> options, TimeProvider time)
    : ActionPageModel(callers, options, time)
{
    /// <summary>Listed accounts shown per page, each read for its standing.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string Kind { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public int Offset { get; set; }

    public EntityView? View { get; private set; }

    /// <summary>The standing of each listed account on this page, by account id.</summary>
    public IReadOnlyDictionary<string, AccountView> Standings { get; private set; } = new Dictionary<string, AccountView>();

    public string Key => $"{Kind}/{Id}";

    protected override bool IsEntity => true;

    protected override string? Subject() => EntityOperations.Key(Kind, Id);

    protected override async Task<string> ApplyAsync(string subject, OperatorAction action)
    {
        await entities.ApplyActionAsync(HttpContext, subject, action);
        return Show.EntityPath(subject);
    }

    protected override async Task<bool> LoadAsync()
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
