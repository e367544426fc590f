using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Auth;
using ReputationGrid.OperatorConsole.Session;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>Signing in with an API key or at the identity provider, and signing out.</summary>
public sealed class SignInModel(Callers callers, IOptions<ConsoleOidcOptions> oidc, IServiceProvider services) : PageModel
{
    // Registered only when API keys are configured.
    private readonly ApiKeys? _keys = services.GetService<ApiKeys>();

    public bool Authenticates => callers.Authenticates;

    public bool KeysConfigured => _keys is not null;

    /// <summary>Whether people can sign in with the identity provider (<c>Auth:Oidc</c>).</summary>
    public bool IdentityProvider => callers.Authenticates && !string.IsNullOrWhiteSpace(oidc.Value.ClientId);

    /// <summary>Set when the identity provider's sign-in was refused (no name or no console role, or a failed exchange).</summary>
    [BindProperty(SupportsGet = true, Name = "refused")]
    public string? IdentityProviderRefused { get; set; }

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

    /// <summary>Sends the browser to the identity provider, to come back signed in where it was going.</summary>
    public IActionResult OnGetIdentityProvider() =>
        IdentityProvider
            ? Challenge(new AuthenticationProperties { RedirectUri = ConsoleSession.LocalReturnUrl(ReturnUrl) }, ConsoleOidc.Scheme)
            : NotFound();

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await ConsoleSession.SignOutAsync(HttpContext);
        return Redirect(ConsoleSession.SignInPath);
    }

    /// <summary>Where the user was going, when it is a console page; the overview otherwise.</summary>
    private IActionResult Back() => Redirect(ConsoleSession.LocalReturnUrl(ReturnUrl));
}
