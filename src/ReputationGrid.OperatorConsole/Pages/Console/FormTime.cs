using System.Globalization;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>Times as a <c>datetime-local</c> input sends them, read as UTC: the console shows every time in UTC.</summary>
public static class FormTime
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    /// <summary>The time, or null when <paramref name="text"/> is not one.</summary>
    public static DateTimeOffset? Read(string text) =>
        DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : null;
}
