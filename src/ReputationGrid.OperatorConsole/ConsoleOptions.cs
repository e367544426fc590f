using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ReputationGrid.OperatorConsole;

/// <summary>The console's settings (section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>
    /// Whether the Orleans dashboard is mounted at <c>/console/dashboard</c> for operators and admins. Off by default: it
    /// profiles every grain call on every silo, which costs the send path throughput. Silos read the same setting.
    /// </summary>
    public bool Dashboard { get; set; }

    public static ConsoleOptions Of(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value;
}
