using System.Collections.Immutable;
using ReputationGrid.Contracts;

namespace ReputationGrid.Simulator.Population;

/// <summary>
/// A message the account will try to send, and what its recipients do if it is delivered (reply,
/// report, block). Reactions are events on this account, so an account's script is self-contained.
/// </summary>
public sealed record PlannedSend(DateTimeOffset At, MessageDetails Message, ImmutableArray<AccountEvent> IfDelivered);

/// <summary>Everything one simulated account does over the run, in event-time order.</summary>
/// <param name="Onset">When the abuse starts (abusive kinds), for time-to-action.</param>
/// <param name="Events">Events that happen whatever the decisions (registration, groups, contacts, reports), sorted by time.</param>
/// <param name="Sends">Send attempts, sorted by time; each one asks for a decision.</param>
public sealed record AccountScript(
    string Account,
    AccountKind Kind,
    DateTimeOffset? Onset,
    IReadOnlyList<AccountEvent> Events,
    IReadOnlyList<PlannedSend> Sends)
{
    /// <summary>The end of the run: an account that adapts its timing sends nothing from then on.</summary>
    public DateTimeOffset End { get; init; } = DateTimeOffset.MaxValue;
}

/// <summary>
/// Builds a script on a millisecond offset from the start of the run. Anything at or after the end of
/// the run is dropped, so generators need not clip; times before the start (registrations) are kept.
/// </summary>
public sealed class ScriptBuilder(string account, AccountKind kind, DateTimeOffset start, long endMs)
{
    private readonly List<AccountEvent> _events = [];
    private readonly List<PlannedSend> _sends = [];

    public string Account => account;

    /// <summary>The end of the run, as an offset from its start.</summary>
    public long EndMs => endMs;

    /// <summary>When the abuse starts, as an offset from the start of the run.</summary>
    public long? OnsetMs { get; set; }

    public DateTimeOffset At(long ms) => start.AddMilliseconds(ms);

    public void Event(long ms, Func<DateTimeOffset, AccountEvent> create)
    {
        if (ms < endMs)
        {
            _events.Add(create(At(ms)));
        }
    }

    public void Send(long ms, MessageDetails message, params ReadOnlySpan<Reaction> reactions)
    {
        if (ms >= endMs)
        {
            return;
        }

        var ifDelivered = ImmutableArray.CreateBuilder<AccountEvent>(reactions.Length);
        foreach (var reaction in reactions)
        {
            var at = ms + reaction.DelayMs;
            if (at < endMs)
            {
                ifDelivered.Add(reaction.Create(At(at), message.Recipient));
            }
        }

        _sends.Add(new PlannedSend(At(ms), message, ifDelivered.DrainToImmutable()));
    }

    public AccountScript Build() => new(
        account,
        kind,
        OnsetMs is { } onset ? At(onset) : null,
        [.. _events.OrderBy(e => e.At)],
        [.. _sends.OrderBy(s => s.At)])
    {
        End = At(endMs),
    };
}

/// <summary>What a recipient does after a message is delivered, <see cref="DelayMs"/> later.</summary>
public readonly record struct Reaction(long DelayMs, ReactionKind Kind)
{
    public AccountEvent Create(DateTimeOffset at, string recipient) => Kind switch
    {
        ReactionKind.Reply => new ReplyReceived(at, recipient),
        ReactionKind.Report => new Reported(at, recipient, "spam"),
        ReactionKind.OptOut => new OptedOut(at, recipient),
        _ => new Blocked(at, recipient),
    };
}

public enum ReactionKind
{
    Reply,
    Report,
    Block,

    /// <summary>The person withdraws consent to a business's messages.</summary>
    OptOut,
}
