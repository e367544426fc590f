using Orleans.Runtime;

namespace ReputationGrid.OperatorConsole.Overview;

/// <summary>The silos Orleans' membership knows, with their status and activations, from its management grain.</summary>
public sealed record ClusterHealth(IReadOnlyList<SiloHealth> Silos, int Activations)
{
    public static async Task<ClusterHealth> ReadAsync(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: false);
        var statistics = await management.GetSimpleGrainStatistics();
        var silos = hosts
            .OrderBy(host => host.Key.ToString(), StringComparer.Ordinal)
            .Select(host => new SiloHealth(
                host.Key.ToString(),
                host.Value.ToString(),
                statistics.Where(s => s.SiloAddress.Equals(host.Key)).Sum(s => s.ActivationCount)))
            .ToList();
        return new ClusterHealth(silos, silos.Sum(silo => silo.Activations));
    }
}

public sealed record SiloHealth(string Address, string Status, int Activations);
