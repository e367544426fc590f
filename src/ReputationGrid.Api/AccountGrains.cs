using ReputationGrid.Contracts;

namespace ReputationGrid.Api;

/// <summary>References to account grains by account id, for the gateway's every request.</summary>
public sealed class AccountGrains(IGrainFactory grains) : GrainReferences<IAccountGrain>(grains);
