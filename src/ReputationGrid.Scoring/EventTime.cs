namespace ReputationGrid.Scoring;

/// <summary>Event time as Unix milliseconds, the unit every window and sketch in the core counts in.</summary>
public static class EventTime
{
    public static long ToMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public const long Second = 1000;
    public const long Minute = 60 * Second;
    public const long Hour = 60 * Minute;
    public const long Day = 24 * Hour;
}
