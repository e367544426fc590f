namespace ReputationGrid.Hosting.GarbageCollection;

/// <summary>The runtime's young generation (gen0), as the <see cref="YoungCollectionPacer"/> watches and collects it.</summary>
public interface IYoungGeneration
{
    /// <summary>Young collections so far in this process, whoever asked for them.</summary>
    int Collections { get; }

    /// <summary>Bytes allocated so far in this process (approximately: counted as allocation contexts fill).</summary>
    long AllocatedBytes { get; }

    /// <summary>Collects the young generation now, before returning.</summary>
    void Collect();
}

internal sealed class RuntimeYoungGeneration : IYoungGeneration
{
    public int Collections => GC.CollectionCount(0);

    public long AllocatedBytes => GC.GetTotalAllocatedBytes(precise: false);

    public void Collect() => GC.Collect(0, GCCollectionMode.Forced, blocking: true);
}
