namespace ReputationGrid.Api;

/// <summary>
/// References to grains of one interface by string key, for a caller that makes one per request. Orleans'
/// <c>GetGrain&lt;T&gt;(string)</c> resolves the interface's grain type from its attributes on every call,
/// without caching, which cost the HTTP send check about 3 % of the process's CPU at peak;
/// here the grain type and interface type are taken once from a first reference, and each reference is built
/// from them and its key.
/// </summary>
public class GrainReferences<TGrain>(IGrainFactory grains)
    where TGrain : IGrainWithStringKey
{
    private GrainTypes? _types;

    public TGrain Get(string key)
    {
        // Resolved on first use, not at start-up: an external client knows the grain type only once it has the
        // cluster's manifest. A race resolves twice, to the same values.
        var types = _types ??= GrainTypes.Of(grains);
        return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface)
    {
        public static GrainTypes Of(IGrainFactory grains)
        {
            var reference = (GrainReference)(object)grains.GetGrain<TGrain>("grain-type-probe");
            return new GrainTypes(reference.GrainId.Type, reference.InterfaceType);
        }
    }
}
