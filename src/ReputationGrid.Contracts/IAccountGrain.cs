using System.Collections.Immutable;
using Orleans.Concurrency;
using ReputationGrid.Scoring;

namespace ReputationGrid.Contracts;

/// <summary>
/// One messaging account, keyed by its id: its rolling behaviour, score and enforcement.
/// Method aliases are part of the wire format: keep them when renaming.
/// </summary>
[Alias("rg.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// The send-time check: records the attempt and answers whether the message may go. Throws
    /// <see cref="ArgumentException"/>, recording nothing, when it is dated before the account registered.
    /// </summary>
    [Alias("CheckSend")]
    Task<SendDecision> CheckSendAsync(DateTimeOffset at, MessageDetails message);

    /// <summary>
    /// Records events in order. Returns once they are applied; an action they trigger is stored first. Throws
    /// <see cref="ArgumentException"/>, recording none of them, when one is behaviour dated before the account registered.
    /// </summary>
    [Alias("Record")]
    Task RecordAsync(ImmutableArray<AccountEvent> events);

    /// <summary>
    /// What a report or block this account gives at <paramref name="at"/> is worth. Asked by the account it reports while
    /// that account is recording: it interleaves with this account's own calls, so two accounts reporting each other at
    /// once never wait on each other. Records nothing and stores nothing.
    /// </summary>
    [Alias("GetStanding"), ReadOnly, AlwaysInterleave]
    Task<ReporterStanding> GetStandingAsync(DateTimeOffset at);

    /// <summary>The account as an operator sees it now. Records nothing and stores nothing.</summary>
    [Alias("GetView"), ReadOnly]
    Task<AccountView> GetViewAsync();

    /// <summary>Applies an operator's override and stores it before returning.</summary>
    [Alias("ApplyOperatorAction")]
    Task<AccountView> ApplyOperatorActionAsync(OperatorAction action);

    /// <summary>A linked entity's risk changed: the account keeps it for its send-time checks and re-judges itself.</summary>
    [Alias("UpdateLinkedRisk"), OneWay]
    Task UpdateLinkedRiskAsync(EntityRiskUpdate update);
}
