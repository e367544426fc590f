using BenchmarkDotNet.Attributes;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Benchmarks;

/// <summary>
/// The send-time decision across many typical accounts, each call for the next account in a shuffled order, as
/// a silo serves them: the account's state is no longer in the processor's caches, unlike the single warmed-up
/// account of <see cref="ScoringBenchmarks"/>. The difference between the two is the cost of memory traffic.
/// </summary>
[MemoryDiagnoser]
public class ManyAccountsBenchmarks
{
    private readonly ScoringPolicy _policy = new();
    private AccountReputation[] _accounts = [];
    private int[] _order = [];
    private OutgoingMessage _message;
    private DateTimeOffset _at;
    private int _next;

    [Params(100_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Copies of one warmed-up typical account, through the storage encoding: each has its own state.
        var traffic = AccountTraffic.WarmedUp(AccountKind.Typical, _policy);
        (_at, _message) = traffic.Next();
        var encoded = traffic.Account.Encode();
        _accounts = [.. Enumerable.Range(0, Accounts).Select(_ => AccountReputation.Decode(encoded))];
        _order = [.. Enumerable.Range(0, Accounts)];
        new Random(7).Shuffle(_order);
    }

    /// <summary>
    /// One decision for the next account. Event time moves on by 6 ms a decision, so each account sends every ten
    /// minutes or so, and a third of the messages are answered, as the typical account's traffic has it: a long run
    /// must not turn the accounts into senders the policy restrains, whose decisions then cost what enforcement does.
    /// </summary>
    [Benchmark]
    public Decision CheckSend()
    {
        var account = _accounts[_order[_next]];
        _next = _next + 1 == _order.Length ? 0 : _next + 1;
        _at = _at.AddMilliseconds(6);
        if (_next % 3 == 0)
        {
            account.Behaviour.RecordReply(_at);
        }

        return account.CheckSend(_at, _message, _policy, out _);
    }
}
