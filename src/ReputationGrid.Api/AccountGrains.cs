using ReputationGrid.Contracts;

namespace ReputationGrid.Api;

/// <summary>
/// References to account grains by account id, for the gateway's every request. Orleans'
/// <c>GetGrain&lt;IAccountGrain&gt;(string)</c> resolves the interface's grain type from its attributes on every call,
/// without caching, which cost the HTTP send check about 3 % of the process's CPU at peak (docs/BENCHMARKS.md);
/// here the grain type and interface type are taken once from a first reference, and each account's reference is
/// built from them and its id.
/// </summary>
public sealed class AccountGrains(IGrainFactory grains)
{
    private GrainTypes? _types;

    public IAccountGrain Get(string account)
    {
        // Resolved on first use, not at start-up: an external client knows the grain type only once it has the
        // cluster's manifest. A race resolves twice, to the same values.
        var types = _types ??= GrainTypes.Of(grains);
        return (IAccountGrain)grains.GetGrain(GrainId.Create(types.Grain, account), types.Interface);
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface)
    {
        public static GrainTypes Of(IGrainFactory grains)
        {
            var reference = (GrainReference)grains.GetGrain<IAccountGrain>("grain-type-probe");
            return new GrainTypes(reference.GrainId.Type, reference.InterfaceType);
        }
    }
}
