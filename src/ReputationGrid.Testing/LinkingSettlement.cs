using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Grains.Linking;

namespace ReputationGrid.Testing;

/// <summary>Waits until silos whose entity reports are sent on demand (<c>Linking:FlushOnDemand</c>) have nothing left to tell.</summary>
public static class LinkingSettlement
{
    /// <summary>
    /// Sends every silo's queued reports to their entities and waits until every entity has handled them and every
    /// account has handled the entities' pushes, including what those pushes made accounts report in turn. Throws when
    /// the silos are not quiet within <paramref name="timeout"/> (a lost one-way call).
    /// </summary>
    /// <param name="silos">The silos' services.</param>
    /// <param name="traffic">The count of linking calls in flight that every one of the silos keeps.</param>
    public static async Task SettleAsync(IReadOnlyList<IServiceProvider> silos, LinkingTraffic traffic, TimeSpan timeout)
    {
        var batchers = silos.Select(silo => silo.GetRequiredService<EntityReportBatcher>()).ToArray();
        using var cancel = new CancellationTokenSource(timeout);
        do
        {
            foreach (var batcher in batchers)
            {
                batcher.Flush();
            }

            await traffic.QuietAsync().WaitAsync(cancel.Token);
        }
        while (batchers.Any(batcher => batcher.HasPending));
    }
}
