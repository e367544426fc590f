using System.Text.RegularExpressions;

namespace ReputationGrid.Contracts;

/// <summary>The rule every account, recipient, group and person id must follow.</summary>
public static partial class Identifiers
{
    public const int MaxLength = 128;

    public const string Rule = "1 to 128 characters of A-Z a-z 0-9 . _ : @ + -";

    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._:@+-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
