using ReputationGrid.Simulator.Scorecards;

namespace ReputationGrid.Trainer;

/// <summary>One point of a curve over accounts: honest accounts flagged, abusers flagged, and the precision there.</summary>
public readonly record struct CurvePoint(double FalsePositiveRate, double Recall, double Precision);

/// <summary>What a threshold chosen for an honest false-positive rate catches, overall and for the groups reported apart.</summary>
/// <param name="HardCaseRate">Share of the honest hard cases flagged.</param>
public sealed record RateResult(double TargetRate, int AllowedHonest, double Threshold, int FlaggedHonest, double Recall, double AdaptiveRecall, double HardCaseRate);

/// <summary>An operating point by accounts flagged: a model at a threshold, or the hand policy's any-action.</summary>
public sealed record OperatingPoint(double FalsePositiveRate, double Recall, double Precision, double AdaptiveRecall, double HardCaseRate);

/// <summary>
/// Evaluation by account, the unit the scorecard counts: an account's score is the highest probability among its
/// snapshots, and a threshold flags the accounts scoring above it.
/// </summary>
public static class Evaluation
{
    /// <summary>Each account's highest snapshot score; 0 for an account without snapshots (never flagged).</summary>
    public static double[] AccountScores(IReadOnlyList<LabelledAccount> accounts, IReadOnlyList<double> snapshotScores)
    {
        var scores = new double[accounts.Count];
        var next = 0;
        for (var i = 0; i < accounts.Count; i++)
        {
            for (var s = 0; s < accounts[i].Snapshots.Count; s++)
            {
                scores[i] = Math.Max(scores[i], snapshotScores[next++]);
            }
        }

        return scores;
    }

    /// <summary>The ROC and precision–recall curve, from the highest threshold down.</summary>
    public static List<CurvePoint> Curve(IReadOnlyList<LabelledAccount> accounts, double[] scores)
    {
        var (honest, abusers) = (accounts.Count(a => !a.Abuse), accounts.Count(a => a.Abuse));
        var order = Enumerable.Range(0, accounts.Count).OrderByDescending(i => scores[i]).ToArray();
        var points = new List<CurvePoint> { new(0, 0, 1) };
        var (flaggedHonest, flaggedAbuse) = (0, 0);
        for (var k = 0; k < order.Length; k++)
        {
            _ = accounts[order[k]].Abuse ? flaggedAbuse++ : flaggedHonest++;
            if (k + 1 == order.Length || scores[order[k + 1]] != scores[order[k]])
            {
                points.Add(new CurvePoint(Share(flaggedHonest, honest), Share(flaggedAbuse, abusers), Share(flaggedAbuse, flaggedAbuse + flaggedHonest)));
            }
        }

        return points;
    }

    /// <summary>The area under the ROC curve (trapezoids).</summary>
    public static double RocArea(IReadOnlyList<CurvePoint> curve)
    {
        var area = 0.0;
        for (var i = 1; i < curve.Count; i++)
        {
            area += (curve[i].FalsePositiveRate - curve[i - 1].FalsePositiveRate) * (curve[i].Recall + curve[i - 1].Recall) / 2;
        }

        return area;
    }

    /// <summary>
    /// The threshold that flags at most <paramref name="rate"/> of the honest accounts (as a whole number, rounded down,
    /// as the scorecard's targets are), and what it catches.
    /// </summary>
    public static RateResult AtRate(IReadOnlyList<LabelledAccount> accounts, double[] scores, double rate)
    {
        var honestScores = accounts.Select((a, i) => (a, i)).Where(x => !x.a.Abuse).Select(x => scores[x.i]).OrderByDescending(s => s).ToList();
        var allowed = Targets.Allowed(honestScores.Count, rate);
        var threshold = allowed < honestScores.Count ? honestScores[allowed] : double.NegativeInfinity;
        var point = Flagging(accounts, i => scores[i] > threshold);
        return new RateResult(rate, allowed, threshold, accounts.Where((a, i) => !a.Abuse && scores[i] > threshold).Count(), point.Recall, point.AdaptiveRecall, point.HardCaseRate);
    }

    /// <summary>The policy's own point: the accounts it throttled or worse.</summary>
    public static OperatingPoint PolicyPoint(IReadOnlyList<LabelledAccount> accounts) => Flagging(accounts, i => accounts[i].ActionedByPolicy == true);

    /// <summary>The operating point of the accounts <paramref name="flagged"/> picks.</summary>
    public static OperatingPoint Flagging(IReadOnlyList<LabelledAccount> accounts, Func<int, bool> flagged)
    {
        int honest = 0, abusers = 0, adaptive = 0, hard = 0, fp = 0, tp = 0, adaptiveTp = 0, hardFp = 0;
        for (var i = 0; i < accounts.Count; i++)
        {
            var (account, hit) = (accounts[i], flagged(i));
            if (account.Abuse)
            {
                abusers++;
                adaptive += account.Adaptive ? 1 : 0;
                tp += hit ? 1 : 0;
                adaptiveTp += hit && account.Adaptive ? 1 : 0;
            }
            else
            {
                honest++;
                hard += account.HardCase ? 1 : 0;
                fp += hit ? 1 : 0;
                hardFp += hit && account.HardCase ? 1 : 0;
            }
        }

        return new OperatingPoint(Share(fp, honest), Share(tp, abusers), Share(tp, tp + fp), Share(adaptiveTp, adaptive), Share(hardFp, hard));
    }

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
