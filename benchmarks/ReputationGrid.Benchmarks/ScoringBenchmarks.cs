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
    private readonly ScoringPolicy _shadow = StricterCandidate();
    private readonly ScoringPolicy _withModel = WithModelOfEveryFeature();
    private readonly ShadowTally _tally = new(shadowId: 1);
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

    /// <summary>The send-time decision under a policy that carries a learned model weighing every named feature.</summary>
    [Benchmark]
    public Decision CheckSendWithModel()
    {
        var (at, message) = _traffic.Next();
        return _traffic.Account.CheckSend(at, message, _withModel, out _);
    }

    /// <summary>
    /// The send-time decision with a shadow candidate installed, as the account grain makes it: the same decision, the
    /// candidate judged on the same measurement, and the comparison counted.
    /// </summary>
    [Benchmark]
    public Decision CheckSendWithShadow()
    {
        var (at, message) = _traffic.Next();
        var decision = _traffic.Account.CheckSend(at, message, _policy, _shadow, out _, out var shadow);
        _tally.Count(decision, shadow);
        return decision;
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

    /// <summary>The default policy with a model as large as a model can be: one term for each named feature.</summary>
    private static ScoringPolicy WithModelOfEveryFeature() => new()
    {
        Version = "with-model",
        Model = new LearnedModel
        {
            Name = "every feature",
            Bias = -4,
            Terms = [.. NamedFeatures.All.Select((feature, i) => new ModelTerm
            {
                Feature = feature.Name,
                Transform = FeatureTransform.Log1p,
                Center = 0.5,
                Scale = 2,
                Weight = i % 2 == 0 ? 0.1 : -0.05,
            })],
        },
    };

    /// <summary>A candidate that acts ten points sooner at every level.</summary>
    private static ScoringPolicy StricterCandidate()
    {
        var candidate = new ScoringPolicy { Version = "stricter" };
        candidate.Thresholds.Throttle += 10;
        candidate.Thresholds.Challenge += 10;
        candidate.Thresholds.Suspend += 10;
        return candidate;
    }
}
