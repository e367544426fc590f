namespace ReputationGrid.Scoring;

/// <summary>The enforcement ladder, mildest first; the numeric order is the severity order.</summary>
public enum EnforcementAction : byte
{
    Allow = 0,

    /// <summary>Slow down: retry after the given number of seconds.</summary>
    Throttle = 1,

    /// <summary>The front-end asks the person to re-verify before sending again.</summary>
    Challenge = 2,

    /// <summary>No sending until a given time.</summary>
    Suspend = 3,

    /// <summary>No sending until an operator clears the account.</summary>
    Ban = 4,
}

public static class EnforcementActions
{
    private static readonly string[] Names = Enum.GetValues<EnforcementAction>().Select(a => a.ToString().ToLowerInvariant()).ToArray();

    /// <summary>The lower-case name used on the wire and in metrics, e.g. <c>throttle</c>.</summary>
    public static string Name(EnforcementAction action) => Names[(int)action];
}
