using Microsoft.AspNetCore.Mvc.RazorPages;
using ReputationGrid.Contracts;
using ReputationGrid.OperatorConsole.Overview;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>The overview: what the service is deciding and the cluster's health, refreshing itself.</summary>
public sealed class IndexModel(IGrainFactory grains, TimeProvider time) : PageModel
{
    public const int RefreshSeconds = 10;

    public ActivityOverview Activity { get; private set; } = null!;

    public ClusterHealth Health { get; private set; } = null!;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow();
        var activity = grains.GetGrain<IActivityGrain>(IActivityGrain.Key).GetOverviewAsync();
        Health = await ClusterHealth.ReadAsync(grains);
        Activity = await activity;
    }
}
