using Microsoft.AspNetCore.Mvc.RazorPages;
using ReputationGrid.OperatorConsole.Overview;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>The overview: what the service is deciding and the cluster's health, refreshing itself.</summary>
public sealed class IndexModel(IGrainFactory grains) : PageModel
{
    public const int RefreshSeconds = 10;

    public ClusterHealth Health { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        Health = await ClusterHealth.ReadAsync(grains);
    }
}
