using ReputationGrid.Simulator.Population;

namespace ReputationGrid.Simulator.Scorecards;

/// <param name="Measured">What the run measured, in the unit of <paramref name="Limit"/>.</param>
/// <param name="AtLeast">True when the measure must reach the limit, false when it must not exceed it.</param>
public sealed record TargetResult(string Name, double? Measured, double Limit, bool AtLeast, bool Met);

/// <summary>
/// The detection targets of issues 6, 24, 29 and 31. Honest limits are shares of the honest population turned into a
/// whole number of accounts, rounded down: on a small population "at most 0.01%" means none at all.
/// </summary>
public static class Targets
{
    public const double Recall = 0.99;
    public const double BurstDeliveredBeforeAction = 10;
    public const double BurstDeliveredBeforeBan = 50;
    public const double HonestSuspendOrBan = 0.0001;
    public const double HonestChallengeOrWorse = 0.001;
    public const double HonestAnyAction = 0.01;
    public const double SustainedSuspended = 0.95;
    public const double SustainedDeliveredShare = 0.10;
    public const double EvasionBudget = 20;
    public const double BusinessDowngraded = 0.95;
    public const double FarmSuspended = 0.95;
    public const double FarmDeliveredBeforeAction = 20;

    /// <summary>How soon after the start of sustained abuse the account must be suspended or banned.</summary>
    public static readonly TimeSpan SuspendWithin = TimeSpan.FromHours(2);

    public static IReadOnlyList<TargetResult> Evaluate(IReadOnlyList<ScenarioResult> scenarios, HonestResult honest, IReadOnlyList<BusinessResult> businesses)
    {
        var targets = new List<TargetResult>();
        foreach (var scenario in scenarios.Where(s => s.RecallTarget))
        {
            targets.Add(AtLeast($"{scenario.Label}: recall (any action)", scenario.Recall.Throttle, Recall));
        }

        foreach (var scenario in scenarios.Where(s => s.Sustained))
        {
            targets.Add(AtLeast($"{scenario.Label}: suspended or banned within {SuspendWithin.TotalHours:0} h", scenario.SuspendedWithin, SustainedSuspended));
            targets.Add(AtMost($"{scenario.Label}: share of messages set out to send that were delivered", scenario.DeliveredShare, SustainedDeliveredShare));
        }

        foreach (var scenario in scenarios.Where(s => AccountKinds.All.Any(k => k.Farm && k.Label == s.Label)))
        {
            targets.Add(AtLeast($"{scenario.Label}: suspended or worse", scenario.Recall.Suspend, FarmSuspended));
            targets.Add(AtMost($"{scenario.Label}: median delivered before the first action", scenario.DeliveredBeforeAction.Median, FarmDeliveredBeforeAction));
        }

        var budgets = scenarios.Where(s => s.EvasionBudget is not null).ToList();
        if (budgets.Count > 0)
        {
            targets.Add(AtMost("best adaptive abuser: evasion budget (messages per account per day)", budgets.Max(s => s.EvasionBudget), EvasionBudget));
        }

        var burst = AccountKinds.Info(AccountKind.NewAccountBurst).Label;
        if (scenarios.FirstOrDefault(s => s.Label == burst) is { } bursts)
        {
            targets.Add(AtMost($"{burst}: median delivered before the first action", bursts.DeliveredBeforeAction.Median, BurstDeliveredBeforeAction));
            targets.Add(AtMost($"{burst}: median delivered before ban", bursts.DeliveredBeforeBan.Median, BurstDeliveredBeforeBan));
        }

        foreach (var business in businesses)
        {
            if (business.Honest)
            {
                targets.Add(AtMost($"{business.Label}: accounts with an action beside the tier limit", business.AnyAction, 0));
                continue;
            }

            targets.Add(AtMost($"{business.Label}: accounts that opened more conversations in 24 h than their tier allows", business.OverLimit, 0));
            targets.Add(AtMost($"{business.Label}: accounts that gained a tier", business.EndedHigher, 0));
            if (business.Label == AccountKinds.Info(AccountKind.BusinessQualityCollapse).Label)
            {
                targets.Add(AtLeast($"{business.Label}: share moved down a tier", (double)business.EndedLower / business.Accounts, BusinessDowngraded));
            }
        }

        targets.Add(AtMost("honest: accounts suspended or banned", honest.SuspendOrBan, Allowed(honest.Accounts, HonestSuspendOrBan)));
        targets.Add(AtMost("honest: accounts challenged or worse", honest.ChallengeOrWorse, Allowed(honest.Accounts, HonestChallengeOrWorse)));
        targets.Add(AtMost("honest: accounts with any action", honest.AnyAction, Allowed(honest.Accounts, HonestAnyAction)));
        return targets;
    }

    /// <summary>How many of <paramref name="accounts"/> a share allows, rounded down.</summary>
    public static int Allowed(int accounts, double share) => (int)Math.Floor(accounts * share + 1e-9);

    private static TargetResult AtLeast(string name, double? measured, double limit) => new(name, measured, limit, true, measured >= limit);

    private static TargetResult AtMost(string name, double? measured, double limit) => new(name, measured, limit, false, measured <= limit);
}
