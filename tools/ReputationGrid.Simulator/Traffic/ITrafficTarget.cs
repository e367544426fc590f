using ReputationGrid.Contracts;

namespace ReputationGrid.Simulator.Traffic;

/// <summary>Where simulated traffic goes: an in-process cluster or a gateway's HTTP API. Calls for one account come one at a time.</summary>
public interface ITrafficTarget : IAsyncDisposable
{
    /// <summary>What the scorecard says the traffic went through.</summary>
    string Description { get; }

    /// <summary>Records events of one account, in order; throws when any of them was not recorded.</summary>
    Task RecordAsync(string account, IReadOnlyList<AccountEvent> events, CancellationToken cancellationToken);

    /// <summary>The send-time check, at the simulated event time.</summary>
    Task<SendDecision> CheckSendAsync(string account, DateTimeOffset at, MessageDetails message, CancellationToken cancellationToken);

    /// <summary>
    /// Returns once what accounts told their linked entities so far has been handled and the entities' risk pushed back,
    /// as a running service does within its batch interval; called at each step of event time while no account acts.
    /// </summary>
    Task SettleAsync(CancellationToken cancellationToken);

    /// <summary>The account as it ended the run: its enforcement history, each change at the event time it happened, and its business tier.</summary>
    Task<AccountEnd> ReviewAsync(string account, CancellationToken cancellationToken);
}

/// <param name="BusinessTier">The tier of a business account; null for a person.</param>
/// <param name="BusinessLimit">The limit of that tier; null for a person or an unlimited tier.</param>
public sealed record AccountEnd(IReadOnlyList<AccountHistoryEntry> History, int? BusinessTier = null, int? BusinessLimit = null);
