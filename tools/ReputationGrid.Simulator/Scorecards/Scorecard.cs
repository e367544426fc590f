using System.Diagnostics;
using System.Text.Json.Serialization;
using ReputationGrid.Scoring;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Running;

namespace ReputationGrid.Simulator.Scorecards;

/// <summary>
/// How well the policy separated abuse from honest use in one run. Everything but <see cref="Performance"/>
/// depends only on the population settings and the policy: the same seed gives the same scorecard.
/// </summary>
public sealed record Scorecard(
    RunInfo Run,
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<HonestResult> Honest,
    IReadOnlyList<BusinessResult> Business,
    IReadOnlyList<TargetResult> Targets,
    Performance Performance)
{
    /// <summary>Score over time of the first account of each kind, for the picture; not part of the JSON.</summary>
    [JsonIgnore]
    public IReadOnlyList<SampleAccount> Samples { get; init; } = [];

    public bool TargetsMet => Targets.All(t => t.Met);

    public static Scorecard From(SimulationResult result)
    {
        var settings = result.Plan.Settings;
        var byKind = result.Outcomes.ToLookup(o => o.Kind);
        var run = new RunInfo(
            settings.Seed,
            settings.Accounts,
            settings.Duration.TotalHours,
            settings.Start,
            result.Target,
            result.Outcomes.Select(o => o.PolicyVersion).FirstOrDefault(v => v is not null) ?? "unknown");
        var end = settings.Start + settings.Duration;
        var scenarios = AccountKinds.All.Where(k => !k.Honest && byKind[k.Kind].Any()).Select(k => ScenarioResult.From(k, [.. byKind[k.Kind]], end)).ToList();
        var honestKinds = AccountKinds.All.Where(k => k.Honest && byKind[k.Kind].Any()).ToList();
        var honest = honestKinds.Select(k => HonestResult.From(k.Label, [.. byKind[k.Kind]])).ToList();
        honest.Add(HonestResult.From(HonestResult.AllLabel, [.. honestKinds.SelectMany(k => byKind[k.Kind])]));
        var samples = AccountKinds.All
            .Select(k => byKind[k.Kind].FirstOrDefault(o => o.Scores is not null))
            .OfType<AccountOutcome>()
            .Select(o => new SampleAccount(AccountKinds.Info(o.Kind).Label, o.Account, o.Onset, o.Scores!))
            .ToList();
        var business = AccountKinds.All.Where(k => k.BusinessTier is not null && byKind[k.Kind].Any()).Select(k => BusinessResult.From(k, [.. byKind[k.Kind]])).ToList();
        return new Scorecard(run, scenarios, honest, business, Scorecards.Targets.Evaluate(scenarios, honest[^1], business), Performance.From(result)) { Samples = samples };
    }
}

public sealed record RunInfo(int Seed, int Accounts, double Hours, DateTimeOffset Start, string Target, string PolicyVersion);

/// <summary>Median and 90th percentile (nearest rank); null when there was nothing to measure.</summary>
public sealed record Spread(double? Median, double? P90)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return new Spread(Percentile(sorted, 0.5), Percentile(sorted, 0.9));
    }

    public static double? Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? null : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Length) - 1)], 2);
}

/// <summary>Share of accounts that reached each level or worse.</summary>
public sealed record Recall(double Throttle, double Challenge, double Suspend, double Ban)
{
    public static Recall Of(IReadOnlyList<AccountOutcome> outcomes) => new(
        Share(outcomes, EnforcementAction.Throttle),
        Share(outcomes, EnforcementAction.Challenge),
        Share(outcomes, EnforcementAction.Suspend),
        Share(outcomes, EnforcementAction.Ban));

    private static double Share(IReadOnlyList<AccountOutcome> outcomes, EnforcementAction level) =>
        Math.Round((double)outcomes.Count(o => o.WorstAction >= level) / outcomes.Count, 4);
}

/// <param name="DeliveredBeforeAction">Messages delivered before the first action; an account never actioned counts all it delivered.</param>
/// <param name="SecondsToAction">Simulated seconds from the start of the abuse to the first action, over the accounts actioned.</param>
/// <param name="FirstReasons">The most frequent reasons given with the first action, with how many accounts got each.</param>
/// <param name="Attempts">Send checks over the whole run.</param>
/// <param name="Delivered">Messages delivered over the whole run.</param>
/// <param name="DeliveredShare">
/// Delivered over what the accounts set out to send, over the whole run: each account's attempts, or its planned
/// messages when it attempted fewer (an abuser that backs off when refused gives up on the rest, which is no delivery).
/// </param>
/// <param name="SuspendedWithin">Share of accounts suspended or banned within <see cref="Targets.SuspendWithin"/> of the start of the abuse.</param>
/// <param name="SecondsToSuspend">Simulated seconds from the start of the abuse to suspension or ban, over the accounts suspended or banned.</param>
/// <param name="EvasionBudget">
/// For adaptive abusers, whose every message goes to a stranger: messages delivered before suspension or ban per account
/// and per day from the start of the abuse to the end of the run; null for the other scenarios.
/// </param>
public sealed record ScenarioResult(
    string Label,
    string Description,
    bool RecallTarget,
    int Accounts,
    Recall Recall,
    Spread DeliveredBeforeAction,
    Spread DeliveredBeforeSuspendOrBan,
    Spread DeliveredBeforeBan,
    Spread SecondsToAction,
    long Attempts,
    long Delivered,
    IReadOnlyList<string> FirstReasons,
    bool Sustained,
    double DeliveredShare,
    double SuspendedWithin,
    Spread SecondsToSuspend,
    double? EvasionBudget)
{
    public static ScenarioResult From(KindInfo kind, IReadOnlyList<AccountOutcome> outcomes, DateTimeOffset end)
    {
        var attempts = outcomes.Sum(o => (long)o.Attempts);
        var intended = outcomes.Sum(o => (long)Math.Max(o.Attempts, o.Planned));
        var delivered = outcomes.Sum(o => (long)o.Delivered);
        var toSuspend = outcomes.Select(o => o.FirstAt[(int)EnforcementAction.Suspend] - o.Onset).ToList();
        var abuseDays = outcomes.Sum(o => o.Onset is { } onset ? Math.Max(0, (end - onset).TotalDays) : 0);
        return new(
            kind.Label,
            kind.Description,
            kind.RecallTarget,
            outcomes.Count,
            Recall.Of(outcomes),
            Spread.Of(outcomes.Select(o => (double)o.DeliveredBefore[(int)EnforcementAction.Throttle])),
            Spread.Of(outcomes.Select(o => (double)o.DeliveredBefore[(int)EnforcementAction.Suspend])),
            Spread.Of(outcomes.Select(o => (double)o.DeliveredBefore[(int)EnforcementAction.Ban])),
            Spread.Of(outcomes.Where(o => o.FirstActionAt is not null).Select(o => ((o.FirstActionAt - o.Onset) ?? TimeSpan.Zero).TotalSeconds)),
            attempts,
            delivered,
            CountFirstReasons(outcomes),
            kind.Sustained,
            intended == 0 ? 0 : Math.Round((double)delivered / intended, 4),
            Math.Round((double)toSuspend.Count(t => t <= Targets.SuspendWithin) / outcomes.Count, 4),
            Spread.Of(toSuspend.OfType<TimeSpan>().Select(t => Math.Max(0, t.TotalSeconds))),
            kind.Adapts == Adaptation.None || abuseDays == 0
                ? null
                : Math.Round(outcomes.Sum(o => o.DeliveredBefore[(int)EnforcementAction.Suspend]) / abuseDays, 1));
    }

    public static IReadOnlyList<string> CountFirstReasons(IEnumerable<AccountOutcome> outcomes) =>
    [
        .. outcomes.SelectMany(o => o.FirstActionReasons).GroupBy(r => r)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Take(3)
            .Select(g => $"{ReasonCodes.Name(g.Key)} ({g.Count()})"),
    ];
}

/// <summary>
/// False positives among honest people of one kind: counts and shares of accounts actioned at each level, the send
/// checks refused, and the time throttles told them to wait (in all, and for the one account that waited longest).
/// </summary>
public sealed record HonestResult(
    string Label,
    int Accounts,
    int AnyAction,
    int ChallengeOrWorse,
    int SuspendOrBan,
    double AnyActionShare,
    double ChallengeOrWorseShare,
    double SuspendOrBanShare,
    long Attempts,
    long Refused,
    IReadOnlyList<string> FirstReasons,
    double ThrottledMinutes,
    double MaxThrottledMinutes)
{
    public const string AllLabel = "all honest";

    public static HonestResult From(string label, IReadOnlyList<AccountOutcome> outcomes)
    {
        var any = outcomes.Count(o => o.WorstAction >= EnforcementAction.Throttle);
        var challenge = outcomes.Count(o => o.WorstAction >= EnforcementAction.Challenge);
        var suspend = outcomes.Count(o => o.WorstAction >= EnforcementAction.Suspend);
        var attempts = outcomes.Sum(o => (long)o.Attempts);
        return new HonestResult(
            label,
            outcomes.Count,
            any,
            challenge,
            suspend,
            Share(any, outcomes.Count),
            Share(challenge, outcomes.Count),
            Share(suspend, outcomes.Count),
            attempts,
            attempts - outcomes.Sum(o => (long)o.Delivered),
            ScenarioResult.CountFirstReasons(outcomes),
            Math.Round(outcomes.Sum(o => o.ThrottledFor.TotalMinutes), 1),
            Math.Round(outcomes.Select(o => o.ThrottledFor.TotalMinutes).DefaultIfEmpty(0).Max(), 1));
    }

    private static double Share(int count, int of) => of == 0 ? 0 : Math.Round((double)count / of, 6);
}

/// <summary>
/// How one business scenario fared on its track: send checks held at the tier's limit, the most people any of its
/// accounts opened conversations with in 24 hours against the limit it ended at, tier changes over the run, and actions
/// beside the tier limit (any of them is a false positive on an honest business).
/// </summary>
/// <param name="MostOpenedIn24h">The most, over its accounts, of people opened conversations with in any 24 hours.</param>
/// <param name="OverLimit">
/// Accounts that opened more conversations in some 24 hours than the limit of the tier they ended at, among those that
/// did not move down (one that did had a higher limit before).
/// </param>
public sealed record BusinessResult(
    string Label,
    bool Honest,
    int Accounts,
    int StartTier,
    long TierLimited,
    int MostOpenedIn24h,
    int OverLimit,
    int EndedLower,
    int EndedHigher,
    int AnyAction,
    int SuspendOrBan)
{
    public static BusinessResult From(KindInfo kind, IReadOnlyList<AccountOutcome> outcomes)
    {
        var start = kind.BusinessTier ?? throw new ArgumentException($"{kind.Label} is not a business kind.", nameof(kind));
        return new BusinessResult(
            kind.Label,
            kind.Honest,
            outcomes.Count,
            start,
            outcomes.Sum(o => (long)o.TierLimited),
            outcomes.Select(o => o.MostOpenedIn24h).DefaultIfEmpty(0).Max(),
            outcomes.Count(o => o.BusinessTier >= start && o.BusinessLimit is { } limit && o.MostOpenedIn24h > limit),
            outcomes.Count(o => o.BusinessTier < start),
            outcomes.Count(o => o.BusinessTier > start),
            outcomes.Count(o => o.WorstAction >= EnforcementAction.Throttle),
            outcomes.Count(o => o.WorstAction >= EnforcementAction.Suspend));
    }
}

/// <param name="Operations">Send checks plus recorded events.</param>
/// <param name="DecisionLatencyMs">Client-side round trip of a send check, with every account's calls in flight at once.</param>
public sealed record Performance(
    int Parallelism,
    double Seconds,
    long Decisions,
    long Operations,
    double OperationsPerSecond,
    LatencyPercentiles DecisionLatencyMs)
{
    public static Performance From(SimulationResult result)
    {
        var seconds = result.Elapsed.TotalSeconds;
        var ms = result.DecisionTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        return new Performance(
            result.Parallelism,
            Math.Round(seconds, 1),
            ms.Length,
            result.Operations,
            Math.Round(result.Operations / seconds),
            new LatencyPercentiles(Spread.Percentile(ms, 0.5), Spread.Percentile(ms, 0.9), Spread.Percentile(ms, 0.99)));
    }
}

public sealed record LatencyPercentiles(double? P50, double? P90, double? P99);

/// <summary>One account's score at each of its send checks.</summary>
public sealed record SampleAccount(string Label, string Account, DateTimeOffset? Onset, IReadOnlyList<ScorePoint> Scores);
