using BenchmarkDotNet.Attributes;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Benchmarks;

/// <summary>
/// The scoring core's hot paths on one warmed-up account. Each invocation moves event time on, so windows rotate
/// and sketches fill as they do in service: the figures are for the steady state, not for a frozen account.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private readonly ScoringPolicy _policy = new();
    private AccountTraffic _traffic = null!;

    [Params(AccountKind.Typical, AccountKind.Heavy)]
    public AccountKind Kind { get; set; }

    [GlobalSetup]
    public void Setup() => _traffic = AccountTraffic.WarmedUp(Kind, _policy);

    /// <summary>Recording one reported message (a <c>message_sent</c> event): the attempt and the delivery.</summary>
    [Benchmark]
    public void RecordEvent() => RecordNextMessage();

    /// <summary>What the account grain does per ingested event: record it, then judge the account again.</summary>
    [Benchmark]
    public EnforcementChange IngestEvent() => _traffic.Account.Reassess(RecordNextMessage(), _policy);

    /// <summary>The send-time decision: record the attempt, measure, assess, judge and answer.</summary>
    [Benchmark]
    public Decision CheckSend()
    {
        var (at, message) = _traffic.Next();
        return _traffic.Account.CheckSend(at, message, _policy, out _);
    }

    /// <summary>Encoding the state for a storage write (once per flush interval, or on an enforcement change).</summary>
    [Benchmark]
    public byte[] Encode() => _traffic.Account.Encode();

    private DateTimeOffset RecordNextMessage()
    {
        var (at, message) = _traffic.Next();
        var behaviour = _traffic.Account.Behaviour;
        behaviour.RecordAttempt(at);
        behaviour.RecordDelivery(at, message);
        return at;
    }
}
