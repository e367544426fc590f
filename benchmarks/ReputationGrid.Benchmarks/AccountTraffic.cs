using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Benchmarks;

/// <summary>The two kinds of account the micro-benchmarks measure; both are allowed to send by the default policy.</summary>
public enum AccountKind
{
    /// <summary>A person: about 140 messages a day to 30 friends, mostly contacts, typed, a third of them answered.</summary>
    Typical,

    /// <summary>
    /// A busy business account: about 10,000 messages a day to 5,000 rotating customers (so its distinct-recipient
    /// counts are sketches), forwards and campaign fingerprints, half of them answered, and a few reports a day.
    /// </summary>
    Heavy,
}

/// <summary>
/// One account's traffic in the steady state. Every <see cref="Next"/> moves event time on by an irregular gap and
/// returns the next message from ids built up front, so the benchmarks measure the scoring core, not the set-up.
/// Replies (and, for the heavy account, reports) from recipients arrive between messages, as they do in service:
/// <see cref="Next"/> records them on the account.
/// </summary>
public sealed class AccountTraffic
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    // A fast benchmark makes hundreds of millions of calls, and the typical account's gaps are minutes long: event
    // time would pass DateTimeOffset's last year. Past this, the account starts again from a new warm-up.
    private static readonly DateTimeOffset Horizon = Start.AddYears(5_000);

    private readonly OutgoingMessage[] _messages;
    private readonly TimeSpan[] _gaps;
    private readonly int _replyEvery;
    private readonly int _reportEvery;
    private readonly AccountKind _kind;
    private readonly ScoringPolicy _policy;
    private DateTimeOffset _at;
    private long _sent;

    private AccountTraffic(AccountKind kind, ScoringPolicy policy)
    {
        (_kind, _policy) = (kind, policy);
        var random = new Random(5);
        if (kind == AccountKind.Typical)
        {
            _gaps = [.. Enumerable.Range(0, 307).Select(_ => TimeSpan.FromSeconds(random.Next(60, 19 * 60)))];
            _messages = [.. Enumerable.Range(0, 300).Select(_ => new OutgoingMessage($"friend-{random.Next(30)}", random.Next(10) > 0, Typed: true))];
            (_replyEvery, _reportEvery) = (3, 0);
        }
        else
        {
            _gaps = [.. Enumerable.Range(0, 307).Select(_ => TimeSpan.FromMilliseconds(random.Next(4_000, 12_000)))];
            _messages =
            [
                .. Enumerable.Range(0, 5_000).Select(i => new OutgoingMessage(
                    $"customer-{i}",
                    RecipientIsContact: random.Next(10) > 0,
                    IsForward: i % 20 == 0,
                    Fingerprint: i % 10 == 0 ? $"campaign-{i % 7}" : null,
                    Typed: true)),
            ];
            (_replyEvery, _reportEvery) = (2, 2_000);
        }

        WarmUp();
    }

    public AccountReputation Account { get; private set; } = null!;

    /// <summary>An account of the kind with two simulated days of traffic behind it, so every structure is in use.</summary>
    public static AccountTraffic WarmedUp(AccountKind kind, ScoringPolicy policy) => new(kind, policy);

    private void WarmUp()
    {
        (Account, _at, _sent) = (new AccountReputation(), Start, 0);
        Account.Behaviour.RecordRegistration(new Registration(Start.AddYears(-2), NetworkKind.Mobile, _kind == AccountKind.Heavy, "44", "81.2.69.0/24", "device-1"));
        var until = Start.AddDays(2);
        while (_at < until)
        {
            var (at, message) = Next();
            Account.CheckSend(at, message, _policy, out _);
        }
    }

    /// <summary>The next message and its event time.</summary>
    public (DateTimeOffset At, OutgoingMessage Message) Next()
    {
        if (_at > Horizon)
        {
            WarmUp();
        }

        _at += _gaps[_sent % _gaps.Length];
        var message = _messages[_sent % _messages.Length];
        _sent++;
        if (_sent % _replyEvery == 0)
        {
            Account.Behaviour.RecordReply(_at);
        }

        if (_reportEvery > 0 && _sent % _reportEvery == 0)
        {
            Account.Behaviour.RecordNegativeFeedback(_at, message.Recipient);
        }

        return (_at, message);
    }
}
