namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// What is stored for an account. The reputation is kept in the scoring core's own compact, versioned
/// encoding, so the core stays free of Orleans and the stored size stays small and bounded.
/// </summary>
[GenerateSerializer, Alias("rg.AccountState.v1")]
public sealed class AccountState
{
    [Id(0)]
    public byte[]? Reputation { get; set; }
}
