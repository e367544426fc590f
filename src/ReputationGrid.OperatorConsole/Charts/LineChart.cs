using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace ReputationGrid.OperatorConsole.Charts;

/// <summary>One line of a chart: its name, colour and points (time, value), oldest first.</summary>
public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<(DateTimeOffset At, double Value)> Points);

/// <summary>
/// A line chart over a time span, written as SVG on the server: no script and no inline style (colours are presentation
/// attributes), so it renders under the console's Content-Security-Policy.
/// </summary>
public static class LineChart
{
    private const double Width = 640, Height = 180, Left = 44, Right = 8, Top = 10, Bottom = 24;

    /// <param name="maximum">The top of the value axis; the largest value when null.</param>
    public static IHtmlContent Render(string title, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<ChartSeries> series, double? maximum = null)
    {
        var top = maximum ?? Math.Max(1, series.SelectMany(s => s.Points).Select(p => p.Value).DefaultIfEmpty(0).Max());
        var span = Math.Max(1, (to - from).TotalMilliseconds);
        double X(DateTimeOffset at) => Left + ((at - from).TotalMilliseconds / span * (Width - Left - Right));
        double Y(double value) => Top + ((1 - (value / top)) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Encode(title)}</title>");
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Y(top * fraction);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#d0d5dd\" stroke-width=\"1\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#475467\">{top * fraction:0.#}</text>");
        }

        foreach (var (at, anchor) in new[] { (from, "start"), (to, "end") })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(at):0.#}\" y=\"{Height - 6}\" text-anchor=\"{anchor}\" font-size=\"11\" fill=\"#475467\">{at.UtcDateTime:MM-dd HH:mm} UTC</text>");
        }

        foreach (var line in series)
        {
            var points = string.Join(" ", line.Points.Select(p => FormattableString.Invariant($"{X(p.At):0.#},{Y(p.Value):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{line.Colour}\" stroke-width=\"2\" points=\"{points}\"><title>{Encode(line.Name)}</title></polyline>");
            foreach (var point in line.Points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(point.At):0.#}\" cy=\"{Y(point.Value):0.#}\" r=\"2.5\" fill=\"{line.Colour}\"/>");
            }
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
