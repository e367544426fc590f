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
/// Plays every account of a population against a target, many accounts at once and each account's
/// calls one after another. An account's outcome depends only on its own script and the policy, so the
/// result is the same whatever the interleaving; only the timings vary.
/// </summary>
public static class Simulation
{
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
        await Parallel.ForEachAsync(
            Enumerable.Range(0, plan.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (index, cancel) =>
            {
                var run = await AccountRunner.RunAsync(plan.Script(index), target, samples.Contains(index), cancel);
                outcomes[index] = run.Outcome;
                lock (ticks)
                {
                    ticks.AddRange(run.DecisionTicks);
                }

                Interlocked.Add(ref operations, run.Operations);
                progress?.Report(Interlocked.Increment(ref done));
            });

        return new SimulationResult(plan, target.Description, outcomes, [.. ticks], operations, parallelism, stopwatch.Elapsed);
    }
}
