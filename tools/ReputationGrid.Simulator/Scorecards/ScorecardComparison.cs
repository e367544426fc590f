using System.Text;
using Spectre.Console;

namespace ReputationGrid.Simulator.Scorecards;

/// <summary>One measure of one scenario or honest kind under both policies.</summary>
public sealed record ComparedMeasure(string Group, string Measure, double? Live, double? Candidate)
{
    /// <summary>Candidate minus live; null when either was not measured.</summary>
    public double? Difference => Live is { } live && Candidate is { } candidate ? Math.Round(candidate - live, 6) : null;
}

/// <summary>
/// Two scorecards of the same seeded traffic, the live policy's and a candidate's, side by side: recall per abuse
/// scenario, what got through before an action, and the false positives per honest kind.
/// </summary>
public sealed record ScorecardComparison(Scorecard Live, Scorecard Candidate, IReadOnlyList<ComparedMeasure> Measures)
{
    public const string MarkdownFile = "comparison.md";

    public static ScorecardComparison From(Scorecard live, Scorecard candidate)
    {
        var measures = new List<ComparedMeasure>();
        foreach (var scenario in live.Scenarios)
        {
            var other = candidate.Scenarios.Single(s => s.Label == scenario.Label);
            measures.Add(new(scenario.Label, "throttle+", scenario.Recall.Throttle, other.Recall.Throttle));
            measures.Add(new(scenario.Label, "challenge+", scenario.Recall.Challenge, other.Recall.Challenge));
            measures.Add(new(scenario.Label, "suspend+", scenario.Recall.Suspend, other.Recall.Suspend));
            measures.Add(new(scenario.Label, "ban", scenario.Recall.Ban, other.Recall.Ban));
            measures.Add(new(scenario.Label, "delivered before action (median)", scenario.DeliveredBeforeAction.Median, other.DeliveredBeforeAction.Median));
        }

        foreach (var honest in live.Honest)
        {
            var other = candidate.Honest.Single(h => h.Label == honest.Label);
            measures.Add(new(honest.Label, "any action", honest.AnyActionShare, other.AnyActionShare));
            measures.Add(new(honest.Label, "challenge or worse", honest.ChallengeOrWorseShare, other.ChallengeOrWorseShare));
            measures.Add(new(honest.Label, "suspend or ban", honest.SuspendOrBanShare, other.SuspendOrBanShare));
        }

        return new ScorecardComparison(live, candidate, measures);
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Policy comparison").AppendLine();
        text.AppendLine($"Seed {Live.Run.Seed}, {Live.Run.Accounts:N0} accounts, {Live.Run.Hours:0.##} simulated hours: live `{Live.Run.PolicyVersion}` against candidate `{Candidate.Run.PolicyVersion}` on the same traffic. Recall and honest figures are shares of accounts; a difference is candidate minus live.").AppendLine();
        text.AppendLine($"| scenario or kind | measure | {Live.Run.PolicyVersion} | {Candidate.Run.PolicyVersion} | difference |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var row in Measures.Select(Row))
        {
            text.AppendLine($"| {string.Join(" | ", row)} |");
        }

        text.AppendLine().AppendLine($"Targets: live {(Live.TargetsMet ? "all met" : "NOT all met")}, candidate {(Candidate.TargetsMet ? "all met" : "NOT all met")}.");
        return text.ToString();
    }

    public void Print(IAnsiConsole console)
    {
        var table = new Table { Title = new TableTitle("Live and candidate on the same traffic"), Border = TableBorder.Rounded };
        foreach (var header in new[] { "scenario or kind", "measure", $"live {Live.Run.PolicyVersion}", $"candidate {Candidate.Run.PolicyVersion}", "difference" })
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (var row in Measures.Select(Row))
        {
            table.AddRow([.. row.Select(Markup.Escape)]);
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape($"Targets: live {(Live.TargetsMet ? "all met" : "NOT all met")}, candidate {(Candidate.TargetsMet ? "all met" : "NOT all met")}."));
    }

    private static string[] Row(ComparedMeasure m) =>
        [m.Group, m.Measure, Format(m.Live), Format(m.Candidate), m.Difference is { } d ? (d > 0 ? $"+{Format(d)}" : Format(d)) : "-"];

    private static string Format(double? value) => value is { } v ? v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
