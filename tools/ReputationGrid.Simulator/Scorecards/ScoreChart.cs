using System.Security;
using System.Text;
using ReputationGrid.Scoring;

namespace ReputationGrid.Simulator.Scorecards;

/// <summary>
/// Score over simulated time for one account of each kind, as small multiples in one SVG: the line is the
/// lowest score seen in each 5-minute slot, coloured (and thicker) where a send was refused, by the worst
/// action of the slot; a dashed line marks the start of the abuse.
/// </summary>
public static class ScoreChart
{
    private const int Columns = 4, PanelWidth = 250, PanelHeight = 140, Left = 34, Right = 12, Top = 24, Bottom = 24, Legend = 28;
    private const int PlotWidth = PanelWidth - Left - Right, PlotHeight = PanelHeight - Top - Bottom;
    private static readonly TimeSpan Slot = TimeSpan.FromMinutes(5);

    private static readonly string[] Colours = ["#2b6cb0", "#d69e2e", "#b83280", "#c53030", "#1a202c"];

    public static string Svg(Scorecard scorecard)
    {
        var samples = scorecard.Samples;
        var start = scorecard.Run.Start;
        var hours = scorecard.Run.Hours;
        var rows = (samples.Count + Columns - 1) / Columns;
        var width = Columns * PanelWidth;
        var height = Legend + rows * PanelHeight;
        var svg = new StringBuilder();
        svg.AppendLine($"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">""");
        svg.AppendLine($"""<rect width="{width}" height="{height}" fill="#fff"/>""");
        svg.AppendLine("""<text x="8" y="17" font-size="12" font-weight="bold">Score over simulated hours, one account of each kind</text>""");
        var x = 440;
        foreach (var action in Enum.GetValues<EnforcementAction>().Skip(1))
        {
            svg.AppendLine($"""<line x1="{x - 6}" x2="{x + 4}" y1="13" y2="13" stroke="{Colours[(int)action]}" stroke-width="3"/><text x="{x + 8}" y="17">{EnforcementActions.Name(action)}</text>""");
            x += 70;
        }

        for (var i = 0; i < samples.Count; i++)
        {
            Panel(svg, samples[i], start, hours, (i % Columns) * PanelWidth, Legend + i / Columns * PanelHeight);
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, SampleAccount sample, DateTimeOffset start, double hours, int left, int top)
    {
        var x0 = left + Left;
        var y0 = top + Top;
        double X(DateTimeOffset at) => x0 + Math.Clamp((at - start).TotalHours / hours, 0, 1) * PlotWidth;
        double Y(double score) => y0 + (100 - score) / 100 * PlotHeight;

        svg.AppendLine($"""<g><text x="{x0}" y="{top + 16}" font-weight="bold">{SecurityElement.Escape(sample.Label)}</text>""");
        svg.AppendLine($"""<rect x="{x0}" y="{y0}" width="{PlotWidth}" height="{PlotHeight}" fill="#f7fafc" stroke="#cbd5e0"/>""");
        foreach (var score in new[] { 0, 50, 100 })
        {
            svg.AppendLine($"""<line x1="{x0}" x2="{x0 + PlotWidth}" y1="{Y(score):0.#}" y2="{Y(score):0.#}" stroke="#e2e8f0"/><text x="{x0 - 4}" y="{Y(score) + 3:0.#}" text-anchor="end">{score}</text>""");
        }

        for (var tick = 0; tick <= 4; tick++)
        {
            var at = start + TimeSpan.FromHours(hours * tick / 4);
            svg.AppendLine($"""<text x="{X(at):0.#}" y="{y0 + PlotHeight + 13}" text-anchor="middle">{hours * tick / 4:0.#}h</text>""");
        }

        if (sample.Onset is { } onset)
        {
            svg.AppendLine($"""<line x1="{X(onset):0.#}" x2="{X(onset):0.#}" y1="{y0}" y2="{y0 + PlotHeight}" stroke="#718096" stroke-dasharray="3,3"/>""");
        }

        var slots = sample.Scores
            .GroupBy(p => (p.At - start).Ticks / Slot.Ticks)
            .Select(g => (At: start + TimeSpan.FromTicks(g.Key * Slot.Ticks + Slot.Ticks / 2), Score: g.Min(p => p.Score), Action: g.Max(p => p.Action)))
            .ToList();
        // One line per run of slots with the same worst action, in that action's colour, joined to the run before.
        for (var first = 0; first < slots.Count;)
        {
            var last = first;
            while (last + 1 < slots.Count && slots[last + 1].Action == slots[first].Action)
            {
                last++;
            }

            var colour = Colours[(int)slots[first].Action];
            var points = string.Join(" ", slots[Math.Max(0, first - 1)..(last + 1)].Select(s => $"{X(s.At):0.#},{Y(s.Score):0.#}"));
            svg.AppendLine(first == last && first == 0
                ? $"""<circle cx="{X(slots[0].At):0.#}" cy="{Y(slots[0].Score):0.#}" r="2.5" fill="{colour}"/>"""
                : $"""<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{(slots[first].Action == EnforcementAction.Allow ? 1.5 : 3)}"/>""");
            first = last + 1;
        }

        svg.AppendLine("</g>");
    }
}
