using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Cases;

/// <summary>
/// The case requests' checks for callers that do not send JSON (the console's forms): each builds the HTTP API's
/// request body and runs its parser, so both accept and refuse alike. Each returns null and sets the error
/// ("field: what is wrong") when the input is bad.
/// </summary>
public sealed class CaseInput(AccountIds ids)
{
    public (string Name, string? Description)? Open(string? name, string? description, out string? error) =>
        Check(WireContract.CaseOpen, new CaseOpenWire { Name = name, Description = description }, CaseRequests.Open, out error);

    public string? Account(string? account, out string? error) =>
        Check(WireContract.CaseAccount, new CaseAccountWire { Account = account }, CaseRequests.AccountId, out error);

    /// <summary>An account id as the cluster stores it (a pseudonym when they are on), taken from a view: checked, not hashed again.</summary>
    public string? StoredAccount(string? account, out string? error)
    {
        error = account is not null && Identifiers.IsValid(account) ? null : $"account: an account id is {Identifiers.Rule}.";
        return error is null ? account : null;
    }

    /// <summary>The entity's key, <c>kind/id</c>.</summary>
    public string? Entity(string? entity, out string? error) =>
        Check(WireContract.CaseEntity, new CaseEntityWire { Entity = entity }, CaseRequests.EntityKey, out error);

    public string? Note(string? text, out string? error) =>
        Check(WireContract.CaseNote, new CaseNoteWire { Text = text }, CaseRequests.NoteText, out error);

    /// <summary>An item of evidence with either a link or a file's bytes, checked as <c>POST /v1/cases/{id}/evidence</c> checks it.</summary>
    /// <param name="latest">The latest time an item may have been seen (now and the clock skew allowed).</param>
    public (NewEvidenceItem Item, byte[]? File)? Evidence(
        string? source, DateTimeOffset? seenAt, string? description, string? link, string? fileName, string? contentType, byte[]? file,
        long maxFileBytes, DateTimeOffset latest, out string? error)
    {
        var wire = new EvidenceItemWire
        {
            Source = source,
            SeenAt = seenAt,
            Description = description,
            Link = link,
            FileName = fileName,
            ContentType = contentType,
            Content = file is null ? null : Convert.ToBase64String(file),
        };
        var parsed = Check(WireContract.EvidenceItem, wire, fields => CaseRequests.Evidence(fields, maxFileBytes, latest, out _), out error);
        return parsed is null ? null : (parsed.Item, parsed.File);
    }

    private T? Check<T>(WireContract contract, object request, Func<WireFields, T?> parse, out string? error)
    {
        var fields = new WireFields(contract, request, ids);
        var value = parse(fields);
        error = fields.Error;
        return error is null ? value : default;
    }
}
