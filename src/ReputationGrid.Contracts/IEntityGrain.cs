using System.Collections.Immutable;
using Orleans.Concurrency;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Linking;

namespace ReputationGrid.Contracts;

/// <summary>
/// One linked entity (a device, a network prefix, a content fingerprint), keyed <c>kind/id</c>
/// (<see cref="EntityKinds.Key"/>). Accounts report to it through their silo's batcher, never on the send path; it pushes
/// its risk to its listed accounts. Method aliases are part of the wire format: keep them when renaming.
/// </summary>
[Alias("rg.IEntityGrain")]
public interface IEntityGrain : IGrainWithStringKey
{
    /// <summary>Linked accounts' reports, batched per silo.</summary>
    [Alias("Report"), OneWay]
    Task ReportAsync(ImmutableArray<LinkReport> reports);

    /// <summary>Pushes the entity's current risk to <paramref name="account"/>, which lost it when it was deactivated.</summary>
    [Alias("Refresh"), OneWay]
    Task RefreshAsync(string account);

    /// <summary>The entity as an operator sees it, with <paramref name="limit"/> of its listed accounts from <paramref name="offset"/>.</summary>
    [Alias("GetView"), ReadOnly]
    Task<EntityView> GetViewAsync(int offset, int limit);

    /// <summary>Bans or clears the entity (any other command is refused), stores it, and pushes it to every listed account.</summary>
    [Alias("ApplyOperatorAction")]
    Task<EntityView> ApplyOperatorActionAsync(OperatorAction action);
}

/// <summary>Everything an operator needs to review an entity.</summary>
[GenerateSerializer, Immutable, Alias("rg.EntityView")]
public sealed record EntityView(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] double LinkedAccounts,
    [property: Id(3)] int ListedAccounts,
    [property: Id(4)] LinkedAccountView[] Accounts,
    [property: Id(5)] Dictionary<string, double> Counters,
    [property: Id(6)] Dictionary<string, double> Risk,
    [property: Id(7)] ReasonCode[] Reasons,
    [property: Id(8)] bool Banned,
    [property: Id(9)] EntityHistoryEntry[] History);

/// <summary>One listed account of an entity and what it last showed the entity.</summary>
[GenerateSerializer, Immutable, Alias("rg.LinkedAccountView")]
public sealed record LinkedAccountView(
    [property: Id(0)] string Account,
    [property: Id(1)] bool StrangerSender,
    [property: Id(2)] bool Actioned);

[GenerateSerializer, Immutable, Alias("rg.EntityHistoryEntry")]
public sealed record EntityHistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] bool Banned,
    [property: Id(2)] string By,
    [property: Id(3)] string Note);

/// <summary>What one linked account tells an entity: its link (and whether it registered there) and its current flags.</summary>
[GenerateSerializer, Immutable, Alias("rg.LinkReport")]
public sealed record LinkReport(
    [property: Id(0)] string Account,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] bool Registration,
    [property: Id(3)] LinkedAccountFlags Flags);

/// <summary>An entity's risk as it pushes it to a linked account, with its members for a device or network small enough to tell them.</summary>
[GenerateSerializer, Immutable, Alias("rg.EntityRiskUpdate")]
public sealed record EntityRiskUpdate(
    [property: Id(0)] EntityKind Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] double ActionedShare,
    [property: Id(3)] double FarmShare,
    [property: Id(4)] double CampaignSenders,
    [property: Id(5)] bool Banned,
    [property: Id(6)] ulong[]? Members = null)
{
    /// <param name="members">The entity's members, when it tells them (see <see cref="EntityReputation.Members"/>).</param>
    public static EntityRiskUpdate From(EntityKind kind, string id, in EntityRisk risk, ulong[]? members) =>
        new(kind, id, risk.ActionedShare, risk.FarmShare, risk.CampaignSenders, risk.Banned, members);

    public EntityRisk ToRisk() => new(ActionedShare, FarmShare, CampaignSenders, Banned);
}
