using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace ReputationGrid.Simulator.Scorecards;

/// <summary>The scorecard as JSON (for machines), Markdown (for people and docs) and a console table.</summary>
public static class ScorecardReport
{
    public const string JsonFile = "scorecard.json";
    public const string MarkdownFile = "scorecard.md";
    public const string ChartFile = "score-over-time.svg";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Json(Scorecard scorecard) => JsonSerializer.Serialize(scorecard, JsonOptions);

    /// <summary>Writes the JSON, the Markdown and the score-over-time picture into <paramref name="directory"/>.</summary>
    public static async Task WriteAsync(Scorecard scorecard, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, JsonFile), Json(scorecard), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, MarkdownFile), Markdown(scorecard), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, ChartFile), ScoreChart.Svg(scorecard), cancellationToken);
    }

    public static string Markdown(Scorecard scorecard)
    {
        var run = scorecard.Run;
        var text = new StringBuilder();
        text.AppendLine("# Detection scorecard").AppendLine();
        text.AppendLine($"Seed {run.Seed}, {run.Accounts:N0} accounts, {run.Hours:0.##} simulated hours from {run.Start:yyyy-MM-dd HH:mm}Z, policy `{run.PolicyVersion}`, through the {run.Target}.");
        text.AppendLine();
        text.AppendLine($"![Score over time of one account of each kind]({ChartFile})").AppendLine();
        text.AppendLine($"Targets: **{(scorecard.TargetsMet ? "all met" : "NOT all met")}**.").AppendLine();

        text.AppendLine("## Abuse scenarios").AppendLine();
        text.AppendLine("Recall is the share of the scenario's accounts that reached each action or worse. Delivered counts are messages that got through before the action (an account never actioned counts everything it delivered); time to action runs from the start of the abuse. First reasons are the reasons given with each account's first action.").AppendLine();
        Table(text, ScenarioHeader, scorecard.Scenarios.Select(ScenarioRow));

        text.AppendLine("## What got through").AppendLine();
        text.AppendLine($"Over the whole run: send checks attempted and messages delivered, the share delivered, the share of accounts suspended or banned within {Targets.SuspendWithin.TotalHours:0} h of the start of the abuse and the time it took (median / p90, over the accounts suspended or banned). Sustained scenarios (*) are held to the escalation targets. The evasion budget of an adaptive abuser is what it delivered before suspension, per account and per day from the start of its abuse to the end of the run.").AppendLine();
        Table(text, ThroughHeader, scorecard.Scenarios.Select(ThroughRow));

        text.AppendLine("## Honest population").AppendLine();
        text.AppendLine("Accounts with any action (throttle or worse), with challenge or worse, and with suspend or ban; refused is the number of send checks not allowed; time throttled is how long throttles told the accounts to wait, in all and for the account that waited longest.").AppendLine();
        Table(text, HonestHeader, scorecard.Honest.Select(HonestRow));

        if (scorecard.Business.Count > 0)
        {
            text.AppendLine("## Business accounts").AppendLine();
            text.AppendLine("Each business scenario on its track: send checks refused for the tier's limit (not actions on the account), the most people one account opened conversations with in any 24 hours, accounts that opened more than the tier they ended at allows (among those that did not move down), accounts that ended below or above the tier they started at, and accounts with an action beside the tier limit (throttle or worse; suspend or ban). The honest businesses' refusals for the limit are also in the honest population's refused count.").AppendLine();
            Table(text, BusinessHeader, scorecard.Business.Select(BusinessRow));
        }

        text.AppendLine("## Targets").AppendLine();
        Table(text, ["target", "measured", "limit", "met"], scorecard.Targets.Select(TargetRow));

        var performance = scorecard.Performance;
        text.AppendLine("## Performance").AppendLine();
        text.AppendLine($"{performance.Operations:N0} events and send checks ({performance.Decisions:N0} checks) in {performance.Seconds:0.0} s: {performance.OperationsPerSecond:N0} per second with {performance.Parallelism} accounts in flight. Decision latency seen by the simulator: p50 {Ms(performance.DecisionLatencyMs.P50)}, p90 {Ms(performance.DecisionLatencyMs.P90)}, p99 {Ms(performance.DecisionLatencyMs.P99)}.");
        return text.ToString();
    }

    public static void Print(Scorecard scorecard, IAnsiConsole console)
    {
        var run = scorecard.Run;
        console.MarkupLine(Markup.Escape($"Seed {run.Seed}, {run.Accounts:N0} accounts, {run.Hours:0.##} simulated hours, policy {run.PolicyVersion}, {run.Target}"));
        console.Write(ConsoleTable("Abuse scenarios", scorecard.Scenarios.Select(ScenarioRow), ConsoleScenarioColumns));
        console.Write(ConsoleTable("What got through", scorecard.Scenarios.Select(ThroughRow), ConsoleThroughColumns));
        console.Write(ConsoleTable("Honest population", scorecard.Honest.Select(HonestRow), ConsoleHonestColumns));
        console.Write(ConsoleTable("Business accounts", scorecard.Business.Select(BusinessRow), ConsoleBusinessColumns));
        console.Write(ConsoleTable("Targets", scorecard.Targets.Select(TargetRow), [(0, "target"), (1, "measured"), (2, "limit"), (3, "met")]));
        var performance = scorecard.Performance;
        console.MarkupLine(Markup.Escape(
            $"{performance.Operations:N0} events and checks in {performance.Seconds:0.0} s ({performance.OperationsPerSecond:N0}/s); decision latency p50 {Ms(performance.DecisionLatencyMs.P50)}, p90 {Ms(performance.DecisionLatencyMs.P90)}, p99 {Ms(performance.DecisionLatencyMs.P99)}"));
        console.MarkupLine(scorecard.TargetsMet ? "[green]All targets met.[/]" : "[red]Some targets were not met.[/]");
    }

    private static readonly string[] ScenarioHeader =
    [
        "scenario", "accounts", "throttle+", "challenge+", "suspend+", "ban",
        "delivered before action (median / p90)", "before suspend or ban", "before ban", "time to action (median / p90)", "first reasons",
    ];

    private static string[] ScenarioRow(ScenarioResult s) =>
    [
        s.RecallTarget ? s.Label : $"{s.Label} (no target)",
        $"{s.Accounts:N0}",
        Percent(s.Recall.Throttle), Percent(s.Recall.Challenge), Percent(s.Recall.Suspend), Percent(s.Recall.Ban),
        Pair(s.DeliveredBeforeAction), Pair(s.DeliveredBeforeSuspendOrBan), Pair(s.DeliveredBeforeBan),
        s.SecondsToAction.Median is null ? "-" : $"{Duration(s.SecondsToAction.Median)} / {Duration(s.SecondsToAction.P90)}",
        string.Join(", ", s.FirstReasons),
    ];

    /// <summary>The columns that fit a terminal, with short headers: the Markdown has them all.</summary>
    private static readonly (int Column, string Header)[] ConsoleScenarioColumns =
    [
        (0, "scenario"), (1, "n"), (2, "throttle+"), (3, "challenge+"), (4, "suspend+"), (5, "ban"),
        (6, "delivered before action"), (7, "before suspend/ban"), (9, "time to action"),
    ];

    private static readonly string[] ThroughHeader =
        ["scenario", "attempted", "delivered", "delivered share", "suspended within target", "time to suspend (median / p90)", "evasion budget"];

    private static readonly (int Column, string Header)[] ConsoleThroughColumns =
        [(0, "scenario"), (1, "attempted"), (2, "delivered"), (3, "share"), (4, "suspended in time"), (5, "time to suspend"), (6, "evasion budget")];

    private static string[] ThroughRow(ScenarioResult s) =>
    [
        s.Sustained ? $"{s.Label} *" : s.Label,
        $"{s.Attempts:N0}",
        $"{s.Delivered:N0}",
        Percent(s.DeliveredShare),
        Percent(s.SuspendedWithin),
        s.SecondsToSuspend.Median is null ? "-" : $"{Duration(s.SecondsToSuspend.Median)} / {Duration(s.SecondsToSuspend.P90)}",
        s.EvasionBudget is { } budget ? $"{budget:0.#} / day" : "-",
    ];

    private static readonly string[] HonestHeader =
        ["kind", "accounts", "any action", "challenge or worse", "suspend or ban", "send checks", "refused", "time throttled (all / longest)", "first reasons"];

    private static readonly (int Column, string Header)[] ConsoleHonestColumns =
        [(0, "kind"), (1, "n"), (2, "any action"), (3, "challenge+"), (4, "suspend or ban"), (5, "send checks"), (6, "refused"), (7, "time throttled")];

    private static string[] HonestRow(HonestResult h) =>
    [
        h.Label,
        $"{h.Accounts:N0}",
        $"{h.AnyAction} ({h.AnyActionShare:0.###%})",
        $"{h.ChallengeOrWorse} ({h.ChallengeOrWorseShare:0.###%})",
        $"{h.SuspendOrBan} ({h.SuspendOrBanShare:0.###%})",
        $"{h.Attempts:N0}",
        $"{h.Refused:N0}",
        $"{Duration(h.ThrottledMinutes * 60)} / {Duration(h.MaxThrottledMinutes * 60)}",
        string.Join(", ", h.FirstReasons),
    ];

    private static readonly string[] BusinessHeader =
        ["business scenario", "accounts", "start tier", "refused for the limit", "most opened in 24 h", "over the limit", "ended lower / higher", "any action", "suspend or ban"];

    private static readonly (int Column, string Header)[] ConsoleBusinessColumns =
        [(0, "business"), (1, "n"), (2, "tier"), (3, "held at limit"), (4, "most opened/24 h"), (5, "over"), (6, "lower/higher"), (7, "action"), (8, "suspend+")];

    private static string[] BusinessRow(BusinessResult b) =>
    [
        b.Honest ? b.Label : $"{b.Label} (abuse)",
        $"{b.Accounts:N0}",
        $"{b.StartTier}",
        $"{b.TierLimited:N0}",
        $"{b.MostOpenedIn24h:N0}",
        $"{b.OverLimit}",
        $"{b.EndedLower} / {b.EndedHigher}",
        $"{b.AnyAction}",
        $"{b.SuspendOrBan}",
    ];

    private static string[] TargetRow(TargetResult t) =>
    [
        t.Name,
        t.Measured is { } value ? $"{value:0.####}" : "-",
        $"{(t.AtLeast ? "at least" : "at most")} {t.Limit:0.####}",
        t.Met ? "yes" : "NO",
    ];

    private static void Table(StringBuilder text, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        text.AppendLine($"| {string.Join(" | ", header)} |");
        // Names and reasons to the left, figures to the right.
        text.AppendLine($"|{string.Concat(header.Select((_, i) => i == 0 || i == header.Count - 1 ? " --- |" : " ---: |"))}");
        foreach (var row in rows)
        {
            text.AppendLine($"| {string.Join(" | ", row)} |");
        }

        text.AppendLine();
    }

    private static Table ConsoleTable(string title, IEnumerable<string[]> rows, (int Column, string Header)[] columns)
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        foreach (var (_, header) in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. columns.Select(c => Markup.Escape(row[c.Column]))]);
        }

        return table;
    }

    private static string Percent(double share) => $"{share:0.#%}";

    private static string Pair(Spread spread) => spread.Median is null ? "-" : $"{spread.Median:0.#} / {spread.P90:0.#}";

    private static string Duration(double? seconds) => seconds switch
    {
        null => "-",
        < 120 => $"{seconds:0} s",
        < 7200 => $"{seconds / 60:0.#} min",
        _ => $"{seconds / 3600:0.#} h",
    };

    private static string Ms(double? ms) => ms is null ? "-" : $"{ms:0.##} ms";
}
