using Orleans.Concurrency;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Contracts;

/// <summary>
/// The complete enforcement record of one account, keyed by its id: every change of its standing and every action on it,
/// for evidence (the account's own history keeps only the latest few). Appended to only by the account; records older
/// than the retention (<c>Evidence:Retention</c>) are no longer read, and are dropped from storage.
/// Method aliases are part of the wire format: keep them when renaming.
/// </summary>
[Alias("rg.IEnforcementRecordGrain")]
public interface IEnforcementRecordGrain : IGrainWithStringKey
{
    /// <summary>Stores the records, in order, before returning.</summary>
    [Alias("Append")]
    Task AppendAsync(EnforcementRecord[] records);

    /// <summary>Up to <paramref name="limit"/> entries, newest first, older than sequence <paramref name="before"/> (all when null).</summary>
    [Alias("Read"), ReadOnly]
    Task<EnforcementRecordPage> ReadAsync(long? before, int limit);
}

/// <summary>One change of an account's standing, or one action on it.</summary>
/// <param name="At">When it took effect.</param>
/// <param name="By"><c>policy:&lt;version&gt;</c> for the automatic policy, <c>entity:&lt;kind&gt;/&lt;id&gt;</c> for a linked entity's ban, else the operator.</param>
/// <param name="Note">The operator's note; null for automatic changes.</param>
/// <param name="PolicyVersion">The live policy when it happened.</param>
/// <param name="Until">When a suspension ends.</param>
/// <param name="Features">The account's features by name when it happened.</param>
/// <param name="Risk">Each signal's risk points then, largest first.</param>
/// <param name="HardRule">The rule that bans outright, when one fired.</param>
[GenerateSerializer, Immutable, Alias("rg.EnforcementRecord")]
public sealed record EnforcementRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] EnforcementAction Action,
    [property: Id(2)] ReasonCode[] Reasons,
    [property: Id(3)] string By,
    [property: Id(4)] string? Note,
    [property: Id(5)] string PolicyVersion,
    [property: Id(6)] double Score,
    [property: Id(7)] DateTimeOffset? Until,
    [property: Id(8)] Dictionary<string, double> Features,
    [property: Id(9)] RiskPoints[] Risk,
    [property: Id(10)] ReasonCode? HardRule)
{
    public static EnforcementRecord From(StandingRecord record)
    {
        var risk = new RiskPoints[record.Risk.Count];
        for (var i = 0; i < risk.Length; i++)
        {
            var (reason, points) = record.Risk[i];
            risk[i] = new RiskPoints(reason, Math.Round(points, 2));
        }

        Array.Sort(risk, static (a, b) => b.Points.CompareTo(a.Points));
        var entry = record.Entry;
        return new EnforcementRecord(
            entry.At, entry.Action, [.. entry.Reasons], entry.By, entry.Note, record.PolicyVersion, record.Score, record.Until,
            record.Features.ToDictionary(), risk, record.Risk.HardRule);
    }
}

/// <summary>One signal's share of an account's risk points.</summary>
[GenerateSerializer, Immutable, Alias("rg.RiskPoints")]
public sealed record RiskPoints([property: Id(0)] ReasonCode Reason, [property: Id(1)] double Points);

[GenerateSerializer, Immutable, Alias("rg.EnforcementRecordEntry")]
public sealed record EnforcementRecordEntry([property: Id(0)] long Sequence, [property: Id(1)] EnforcementRecord Record);

/// <param name="Next">The sequence to read before for the next (older) page; null when this page reaches the oldest entry kept.</param>
[GenerateSerializer, Immutable, Alias("rg.EnforcementRecordPage")]
public sealed record EnforcementRecordPage([property: Id(0)] EnforcementRecordEntry[] Entries, [property: Id(1)] long? Next);
