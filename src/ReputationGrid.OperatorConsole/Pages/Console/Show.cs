using System.Globalization;
using ReputationGrid.Scoring;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>How the pages write values: one format for times, actions and reasons everywhere.</summary>
public static class Show
{
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Action(EnforcementAction action) => EnforcementActions.Name(action);

    public static string Reasons(IEnumerable<ReasonCode> reasons) =>
        string.Join(", ", reasons.Select(ReasonCodes.Name)) is { Length: > 0 } names ? names : "—";

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Automatic changes are made by <c>policy:&lt;version&gt;</c>; anything else was done by the named operator.</summary>
    public static (string Who, string PolicyVersion) Actor(string by) =>
        by.StartsWith("policy:", StringComparison.Ordinal) ? ("policy (automatic)", by["policy:".Length..]) : (by, "— (manual)");

    /// <summary>The account page of <paramref name="account"/>, an id as the platform names the account.</summary>
    public static string AccountPath(string account) => $"/console/account/{Uri.EscapeDataString(account)}";

    /// <summary>
    /// The account page of an id as the cluster stores it (what views return): with pseudonymous ids on, it is already a
    /// pseudonym and must not be hashed again.
    /// </summary>
    public static string StoredAccountPath(string storedAccount) => $"{AccountPath(storedAccount)}?stored=true";

    /// <summary>The page of case <paramref name="id"/>.</summary>
    public static string CasePath(string id) => $"/console/cases/{Uri.EscapeDataString(id)}";

    /// <summary>The entity page of <paramref name="entityKey"/> (<c>kind/id</c>).</summary>
    public static string EntityPath(string entityKey)
    {
        var slash = entityKey.IndexOf('/');
        return $"/console/entity/{Uri.EscapeDataString(entityKey[..slash])}/{Uri.EscapeDataString(entityKey[(slash + 1)..])}";
    }
}
