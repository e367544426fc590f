namespace ReputationGrid.Trainer;

/// <summary>
/// One account with its label and the feature snapshots kept for it, each an array of values in the order of
/// <see cref="Scoring.NamedFeatures.All"/>.
/// </summary>
/// <param name="Group">The account's kind in the simulator (<c>honest_courier</c>), or <c>labelled</c> for a service's export.</param>
/// <param name="Adaptive">An abuser that reacts to the policy (the simulator's adaptive kinds).</param>
/// <param name="HardCase">An honest account that simple rules would punish (the simulator's honest hard cases).</param>
/// <param name="ActionedByPolicy">Whether the policy the snapshots were taken under acted on the account (throttle or worse); null when unknown.</param>
public sealed record LabelledAccount(
    string Account,
    string Group,
    bool Abuse,
    bool Adaptive,
    bool HardCase,
    bool? ActionedByPolicy,
    IReadOnlyList<double[]> Snapshots);
