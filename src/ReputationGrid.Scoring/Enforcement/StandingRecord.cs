using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Enforcement;

/// <summary>
/// A change of an account's standing or an action on it, with the score, the features and the risk behind it: one
/// entry of the account's complete enforcement record, which its owner keeps apart from the bounded history.
/// </summary>
/// <param name="Until">When a suspension ends; null for any other action.</param>
/// <param name="PolicyVersion">The live policy when it happened.</param>
public sealed record StandingRecord(HistoryEntry Entry, double Score, DateTimeOffset? Until, string PolicyVersion, Features Features, RiskAssessment Risk);
