using Microsoft.AspNetCore.Mvc.RazorPages;
using ReputationGrid.Api;
using ReputationGrid.Contracts;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>The policy: the live version and its document, the versions kept, and the shadow candidate's report. Read-only.</summary>
public sealed class PolicyModel(IGrainFactory grains) : PageModel
{
    /// <summary>How many of the shadow sample's accounts the page lists.</summary>
    public const int SampleShown = 50;

    public PolicyVersion Live { get; private set; } = null!;

    public PolicyVersionsResponse Versions { get; private set; } = null!;

    /// <summary>As the HTTP API reports it; null when no shadow candidate is installed.</summary>
    public ShadowReportResponse? Shadow { get; private set; }

    public async Task OnGetAsync()
    {
        var policy = grains.GetGrain<IPolicyGrain>(IPolicyGrain.Key);
        Live = await policy.GetLiveAsync();
        Versions = PolicyVersionsResponse.From(await policy.GetVersionsAsync());
        Shadow = await policy.GetShadowReportAsync(0, SampleShown) is { } report ? ShadowReportResponse.From(report, 0) : null;
    }
}
