namespace ReputationGrid.Scoring;

/// <summary>
/// The enforcement ladder. How severe an action is comes from <see cref="EnforcementActions.Severity"/>, and the code
/// stored for it from the account state codec, so neither depends on the order or values of these members.
/// </summary>
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

    /// <summary>How severe the action is: 0 for allow, and each step up the ladder one more.</summary>
    public static int Severity(this EnforcementAction action) => action switch
    {
        EnforcementAction.Allow => 0,
        EnforcementAction.Throttle => 1,
        EnforcementAction.Challenge => 2,
        EnforcementAction.Suspend => 3,
        EnforcementAction.Ban => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown enforcement action."),
    };

    /// <summary>The more severe of two actions.</summary>
    public static EnforcementAction MoreSevere(EnforcementAction a, EnforcementAction b) => a.Severity() >= b.Severity() ? a : b;

    /// <summary>The less severe of two actions.</summary>
    public static EnforcementAction LessSevere(EnforcementAction a, EnforcementAction b) => a.Severity() <= b.Severity() ? a : b;
}
