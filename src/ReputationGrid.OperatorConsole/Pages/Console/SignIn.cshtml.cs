using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Api.Auth;
using ReputationGrid.OperatorConsole.Session;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>Signing in with an API key, and signing out.</summary>
public sealed class SignInModel(Callers callers, IServiceProvider services) : PageModel
{
    // Registered only when API keys are configured.
    private readonly ApiKeys? _keys = services.GetService<ApiKeys>();

    public bool Authenticates => callers.Authenticates;

    public bool KeysConfigured => _keys is not null;

    public bool Refused { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? key)
    {
        if (!callers.Authenticates)
        {
            return Back(); // everyone is already local
        }

        if (_keys is null || string.IsNullOrEmpty(key) || !await ConsoleSession.SignInAsync(HttpContext, _keys, key))
        {
            Refused = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        return Back();
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await ConsoleSession.SignOutAsync(HttpContext);
        return Redirect(ConsoleSession.SignInPath);
    }

    /// <summary>Where the user was going, when it is a console page; the overview otherwise.</summary>
    private IActionResult Back() =>
        Redirect(ReturnUrl is { } url && url.StartsWith("/console", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/console");
}
