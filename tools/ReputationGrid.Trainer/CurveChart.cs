using System.Globalization;
using System.Text;

namespace ReputationGrid.Trainer;

/// <summary>A line of a chart, in data coordinates.</summary>
public sealed record ChartLine(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points);

/// <summary>A single marked point of a chart (the hand policy's operating point).</summary>
public sealed record ChartMarker(string Name, string Colour, double X, double Y);

/// <summary>
/// A small SVG chart of curves between 0 and 1 on both axes, the x axis optionally logarithmic from
/// <see cref="LogFloor"/> (values below it are drawn at it), with dashed verticals at chosen x values.
/// </summary>
public static class CurveChart
{
    public const double LogFloor = 1e-4;
    private const int Width = 640, Height = 420, Left = 56, Right = 180, Top = 34, Bottom = 44;
    private const int PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    public static string Svg(string title, string xLabel, string yLabel, bool logX, IReadOnlyList<ChartLine> lines, IReadOnlyList<ChartMarker> markers, IReadOnlyList<double> verticals)
    {
        double X(double x) => Left + (PlotWidth * (logX ? (Math.Log10(Math.Max(x, LogFloor)) - Math.Log10(LogFloor)) / -Math.Log10(LogFloor) : x));
        double Y(double y) => Top + (PlotHeight * (1 - y));
        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="11">"""));
        svg.AppendLine(Invariant($"""<rect width="{Width}" height="{Height}" fill="#fff"/><text x="{Left}" y="20" font-size="13" font-weight="bold">{Escape(title)}</text>"""));
        svg.AppendLine(Invariant($"""<rect x="{Left}" y="{Top}" width="{PlotWidth}" height="{PlotHeight}" fill="none" stroke="#999"/>"""));
        var ticks = logX ? new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1 } : [0, 0.25, 0.5, 0.75, 1];
        foreach (var tick in ticks)
        {
            svg.AppendLine(Invariant($"""<text x="{X(tick):0.#}" y="{Top + PlotHeight + 16}" text-anchor="middle">{tick.ToString("0.####", CultureInfo.InvariantCulture)}</text>"""));
        }

        foreach (var tick in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            svg.AppendLine(Invariant($"""<text x="{Left - 6}" y="{Y(tick) + 4:0.#}" text-anchor="end">{tick.ToString("0.##", CultureInfo.InvariantCulture)}</text><line x1="{Left}" x2="{Left + PlotWidth}" y1="{Y(tick):0.#}" y2="{Y(tick):0.#}" stroke="#eee"/>"""));
        }

        foreach (var vertical in verticals)
        {
            svg.AppendLine(Invariant($"""<line x1="{X(vertical):0.#}" x2="{X(vertical):0.#}" y1="{Top}" y2="{Top + PlotHeight}" stroke="#aaa" stroke-dasharray="4 3"/>"""));
        }

        svg.AppendLine(Invariant($"""<text x="{Left + (PlotWidth / 2)}" y="{Height - 10}" text-anchor="middle">{Escape(xLabel)}</text>"""));
        svg.AppendLine(Invariant($"""<text transform="translate(14 {Top + (PlotHeight / 2)}) rotate(-90)" text-anchor="middle">{Escape(yLabel)}</text>"""));
        var legendY = Top + 10;
        foreach (var line in lines)
        {
            var path = string.Join(" ", line.Points.Select((p, i) => Invariant($"{(i == 0 ? "M" : "L")}{X(p.X):0.##},{Y(p.Y):0.##}")));
            svg.AppendLine(Invariant($"""<path d="{path}" fill="none" stroke="{line.Colour}" stroke-width="2"/>"""));
            svg.AppendLine(Invariant($"""<line x1="{Width - Right + 10}" x2="{Width - Right + 26}" y1="{legendY}" y2="{legendY}" stroke="{line.Colour}" stroke-width="2"/><text x="{Width - Right + 30}" y="{legendY + 4}">{Escape(line.Name)}</text>"""));
            legendY += 18;
        }

        foreach (var marker in markers)
        {
            svg.AppendLine(Invariant($"""<circle cx="{X(marker.X):0.##}" cy="{Y(marker.Y):0.##}" r="5" fill="{marker.Colour}"/>"""));
            svg.AppendLine(Invariant($"""<circle cx="{Width - Right + 18}" cy="{legendY}" r="5" fill="{marker.Colour}"/><text x="{Width - Right + 30}" y="{legendY + 4}">{Escape(marker.Name)}</text>"""));
            legendY += 18;
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
