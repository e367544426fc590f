using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Running;
using ReputationGrid.Simulator.Traffic;

namespace ReputationGrid.Trainer;

/// <summary>
/// Labelled accounts from the simulator: one seeded population played through an in-process cluster under a policy,
/// each account labelled by its true kind, with the snapshots the cluster kept for it. An abuser's snapshots from before
/// its abuse began (a compromised account's ordinary morning) are left out: they show an honest person.
/// </summary>
public static class SimulatorData
{
    /// <param name="settings">The silos' configuration (the policy the snapshots are taken under).</param>
    public static async Task<IReadOnlyList<LabelledAccount>> CollectAsync(
        PopulationSettings population, IReadOnlyDictionary<string, string?> settings, int parallelism, CancellationToken cancellationToken = default)
    {
        var plan = new PopulationPlan(population);
        await using var target = await ClusterTarget.StartAsync(settings);
        var result = await Simulation.RunAsync(plan, target, parallelism, cancellationToken: cancellationToken);
        var accounts = new List<LabelledAccount>(result.Outcomes.Count);
        foreach (var outcome in result.Outcomes)
        {
            var info = AccountKinds.Info(outcome.Kind);
            var evidence = await target.TrainingDataAsync(outcome.Account);
            var snapshots = evidence.Changes.Concat(evidence.Samples)
                .Where(s => info.Honest || outcome.Onset is not { } onset || s.At >= onset)
                .OrderBy(s => s.At)
                .Select(s => Values(s.Features))
                .ToList();
            accounts.Add(new LabelledAccount(
                outcome.Account,
                info.Label,
                !info.Honest,
                info.Adapts != Adaptation.None,
                info.Honest && outcome.Kind != AccountKind.Honest,
                outcome.WorstAction != EnforcementAction.Allow,
                snapshots));
        }

        return accounts;
    }

    /// <summary>A snapshot's named values in the order of <see cref="NamedFeatures.All"/>; a name it lacks is 0.</summary>
    public static double[] Values(IReadOnlyDictionary<string, double> named)
    {
        var values = new double[NamedFeatures.All.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = named.TryGetValue(NamedFeatures.All[i].Name, out var value) ? value : 0;
        }

        return values;
    }
}
