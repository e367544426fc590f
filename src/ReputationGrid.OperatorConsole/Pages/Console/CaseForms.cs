using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Cases;
using ReputationGrid.Contracts;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>What the case pages' forms share: reading their fields and carrying out a change through the <see cref="CaseService"/>.</summary>
public static class CaseForms
{
    /// <summary>An empty form field is an absent one.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The case's page, saying what was just done.</summary>
    public static string Done(string id, string done) => $"{Show.CasePath(id)}?done={Uri.EscapeDataString(done)}";

    /// <summary>
    /// Adds an account (its id, as the platform names it, or as stored when <paramref name="stored"/>) or an entity
    /// (<c>kind/id</c>) to the case; what went wrong, or null when it was added.
    /// </summary>
    public static async Task<string?> AddMemberAsync(
        HttpContext context, CaseService cases, CaseInput input, string? caseId, string? kind, string? member, bool stored = false)
    {
        if (caseId is null || !Identifiers.IsValid(caseId))
        {
            return "Choose a case.";
        }

        string? key;
        string? error;
        CaseMemberKind memberKind;
        switch (kind)
        {
            case "account":
                (key, memberKind) = (stored ? input.StoredAccount(member, out error) : input.Account(member, out error), CaseMemberKind.Account);
                break;
            case "entity":
                (key, memberKind) = (input.Entity(member, out error), CaseMemberKind.Entity);
                break;
            default:
                return "Add an account or an entity.";
        }

        return key is null ? error : Problem(await cases.AddMemberAsync(context, caseId, memberKind, key), caseId);
    }

    /// <summary>Why a change did not take effect, or null when it did.</summary>
    public static string? Problem(CaseChange change, string caseId) => change switch
    {
        { Case: not null } => null,
        { Error: { } error } => error,
        _ => $"There is no case '{caseId}'.",
    };
}
