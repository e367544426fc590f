namespace ReputationGrid.Grains.Linking;

/// <summary>What is stored for an entity: the scoring core's own encoding of it.</summary>
[GenerateSerializer, Alias("rg.EntityState.v1")]
public sealed class EntityState
{
    [Id(0)]
    public byte[]? Entity { get; set; }
}

/// <summary>An account's stored links, apart from its reputation so that their format and writes are their own.</summary>
[GenerateSerializer, Alias("rg.AccountLinksState.v1")]
public sealed class AccountLinksState
{
    [Id(0)]
    public byte[]? Links { get; set; }
}
