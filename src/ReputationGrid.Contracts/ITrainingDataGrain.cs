using Orleans.Concurrency;
using ReputationGrid.Scoring;

namespace ReputationGrid.Contracts;

/// <summary>
/// What is known for training and evaluating models about one account (keyed by its id), kept apart from the
/// account's own state: its labels, append-only and never dropped, and feature snapshots, bounded and expiring as the
/// live policy's <c>Snapshots</c> section says.
/// </summary>
public interface ITrainingDataGrain : IGrainWithStringKey
{
    /// <summary>The audit subject every label is logged under with its account: how labelled accounts are found for export.</summary>
    const string LabelLogSubject = "labels";

    /// <summary>Stores the label, and notes the account in the cluster's label log, before returning.</summary>
    [Alias("AddLabel")]
    Task AddLabelAsync(AccountLabel label);

    /// <summary>Keeps a snapshot; sent without waiting, so that a decision never waits for its evidence.</summary>
    [Alias("AddSnapshot"), OneWay]
    Task AddSnapshotAsync(FeatureSnapshot snapshot);

    [Alias("Get"), ReadOnly]
    Task<AccountTrainingData> GetAsync();
}

/// <summary>What a reviewer or the platform established about an account.</summary>
public enum LabelKind
{
    Legitimate = 0,
    Abuse = 1,
}

/// <summary>An outcome established about an account: what it was, why, who said so, as of when and when it was recorded.</summary>
[GenerateSerializer, Immutable, Alias("rg.AccountLabel")]
public sealed record AccountLabel(
    [property: Id(0)] LabelKind Label,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string By,
    [property: Id(4)] DateTimeOffset RecordedAt);

/// <summary>The named features of an account at one judgement, and what the live policy decided there.</summary>
/// <param name="EnforcementChanged">True when the judgement changed the account's action; false for a sampled ordinary decision.</param>
[GenerateSerializer, Immutable, Alias("rg.FeatureSnapshot")]
public sealed record FeatureSnapshot(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] bool EnforcementChanged,
    [property: Id(2)] EnforcementAction Action,
    [property: Id(3)] double Score,
    [property: Id(4)] string PolicyVersion,
    [property: Id(5)] Dictionary<string, double> Features);

/// <summary>An account's labels (oldest first) and snapshots (oldest first, enforcement changes and samples apart).</summary>
[GenerateSerializer, Immutable, Alias("rg.AccountTrainingData")]
public sealed record AccountTrainingData(
    [property: Id(0)] AccountLabel[] Labels,
    [property: Id(1)] FeatureSnapshot[] Changes,
    [property: Id(2)] FeatureSnapshot[] Samples);
