namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>What the account and entity pages' "add to a case" form adds.</summary>
/// <param name="Kind"><c>account</c> or <c>entity</c>.</param>
/// <param name="Member">The account's id, or the entity's <c>kind/id</c>.</param>
public sealed record AddToCase(string Kind, string Member, bool Stored = false);
