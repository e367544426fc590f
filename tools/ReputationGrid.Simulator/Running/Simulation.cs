using System.Diagnostics;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Traffic;

namespace ReputationGrid.Simulator.Running;

/// <summary>Everything a run produced: one outcome per account (in index order), and how fast it went.</summary>
public sealed record SimulationResult(
    PopulationPlan Plan,
    string Target,
    IReadOnlyList<AccountOutcome> Outcomes,
    long[] DecisionTicks,
    long Operations,
    int Parallelism,
    TimeSpan Elapsed);

/// <summary>
/// Plays every account of a population against a target, many accounts at once and each account's calls one after
/// another, all stepped together through event time by a <see cref="VirtualClock"/> with the target settled at each step.
/// What an account sees depends on its own script, the policy and what its linked entities heard by the last step, so the
/// result is the same whatever the interleaving within a step; only the timings vary.
/// </summary>
public static class Simulation
{
    /// <summary>
    /// How far event time moves between settlements: short enough that an entity's news reaches its accounts about as
    /// soon, in event time, as it would in production (within seconds), long enough that few steps pass without traffic.
    /// </summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    public static async Task<SimulationResult> RunAsync(
        PopulationPlan plan, ITrafficTarget target, int parallelism, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        // The first account of each kind keeps its scores for the picture.
        var samples = Enumerable.Range(0, plan.Count).GroupBy(plan.KindOf).Select(g => g.First()).ToHashSet();
        var outcomes = new AccountOutcome[plan.Count];
        var ticks = new List<long>();
        long operations = 0;
        var done = 0;
        var stopwatch = Stopwatch.StartNew();
        var clock = new VirtualClock(plan.Count, parallelism, Step);
        var stepping = clock.RunAsync(() => target.SettleAsync(cancellationToken), cancellationToken);
        var accounts = Enumerable.Range(0, plan.Count).Select(async index =>
        {
            await clock.EnterAsync(cancellationToken);
            try
            {
                var run = await AccountRunner.RunAsync(plan.Script(index), target, clock, samples.Contains(index), cancellationToken);
                outcomes[index] = run.Outcome;
                lock (ticks)
                {
                    ticks.AddRange(run.DecisionTicks);
                }

                Interlocked.Add(ref operations, run.Operations);
                progress?.Report(Interlocked.Increment(ref done));
            }
            finally
            {
                clock.Leave();
            }
        }).ToArray();
        await Task.WhenAll(accounts);
        await stepping;

        return new SimulationResult(plan, target.Description, outcomes, [.. ticks], operations, parallelism, stopwatch.Elapsed);
    }
}
