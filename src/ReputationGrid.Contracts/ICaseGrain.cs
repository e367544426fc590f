using Orleans.Concurrency;

namespace ReputationGrid.Contracts;

/// <summary>
/// One investigation, keyed by its id: the accounts and entities in it, investigators' notes, and off-platform evidence
/// with its attached files. Every change is stored before it is answered; each carries its time and author. Who viewed
/// and exported a case is in the audit trail of subject <c>case/&lt;id&gt;</c>.
/// Method aliases are part of the wire format: keep them when renaming.
/// </summary>
[Alias("rg.ICaseGrain")]
public interface ICaseGrain : IGrainWithStringKey
{
    /// <summary>The largest file an item may attach: a file is one stored state, which Azure Table storage keeps under 1 MiB.</summary>
    const int MaxFileBytes = 768 * 1024;

    /// <summary>Opens the case; refused when a case with this id exists.</summary>
    [Alias("Open")]
    Task<CaseChange> OpenAsync(string name, string? description, string by);

    /// <summary>The case; null when no case has this id.</summary>
    [Alias("Get"), ReadOnly]
    Task<CaseView?> GetAsync();

    /// <summary>Adds an account (its id) or an entity (<c>kind/id</c>); adding one already in the case changes nothing.</summary>
    [Alias("AddMember")]
    Task<CaseChange> AddMemberAsync(CaseMemberKind kind, string member, string by);

    /// <summary>Removes an account or an entity; refused when it is not in the case.</summary>
    [Alias("RemoveMember")]
    Task<CaseChange> RemoveMemberAsync(CaseMemberKind kind, string member);

    [Alias("AddNote")]
    Task<CaseChange> AddNoteAsync(string text, string by);

    /// <summary>Adds an item of off-platform evidence, its file (when it has one, at most <see cref="MaxFileBytes"/>) stored first.</summary>
    [Alias("AddEvidence")]
    Task<CaseChange> AddEvidenceAsync(NewEvidenceItem item, byte[]? file, string by);

    /// <summary>The file attached to evidence item <paramref name="number"/>; null when it has none.</summary>
    [Alias("GetFile"), ReadOnly]
    Task<byte[]?> GetFileAsync(int number);
}

/// <summary>The cases opened, newest first (key <see cref="Key"/>), for listing them.</summary>
[Alias("rg.ICaseIndexGrain")]
public interface ICaseIndexGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    [Alias("Add")]
    Task AddAsync(CaseSummary summary);

    /// <summary>Up to <paramref name="limit"/> cases, newest first, opened before sequence <paramref name="before"/> (all when null).</summary>
    [Alias("Read"), ReadOnly]
    Task<CaseSummaryPage> ReadAsync(long? before, int limit);
}

public enum CaseMemberKind : byte
{
    Account = 1,
    Entity = 2,
}

/// <summary>What a change did: the case as it now is, or why nothing changed (<see cref="Case"/> and <see cref="Error"/> both null: no such case).</summary>
/// <param name="Error">Begins with the field it is about.</param>
[GenerateSerializer, Immutable, Alias("rg.CaseChange")]
public sealed record CaseChange([property: Id(0)] CaseView? Case, [property: Id(1)] string? Error);

[GenerateSerializer, Immutable, Alias("rg.CaseView")]
public sealed record CaseView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] DateTimeOffset OpenedAt,
    [property: Id(4)] string OpenedBy,
    [property: Id(5)] CaseMember[] Accounts,
    [property: Id(6)] CaseMember[] Entities,
    [property: Id(7)] CaseNote[] Notes,
    [property: Id(8)] EvidenceItem[] Evidence);

/// <param name="Id">The account's id, or the entity's <c>kind/id</c>.</param>
[GenerateSerializer, Immutable, Alias("rg.CaseMember")]
public sealed record CaseMember([property: Id(0)] string Id, [property: Id(1)] DateTimeOffset AddedAt, [property: Id(2)] string AddedBy);

[GenerateSerializer, Immutable, Alias("rg.CaseNote")]
public sealed record CaseNote([property: Id(0)] DateTimeOffset At, [property: Id(1)] string Author, [property: Id(2)] string Text);

/// <summary>An item of off-platform evidence as its recorder gives it: a file (sent beside it) or a link.</summary>
/// <param name="Source">Where it was found, e.g. "the company's website".</param>
/// <param name="SeenAt">When the recorder saw it.</param>
[GenerateSerializer, Immutable, Alias("rg.NewEvidenceItem")]
public sealed record NewEvidenceItem(
    [property: Id(0)] string Source,
    [property: Id(1)] DateTimeOffset SeenAt,
    [property: Id(2)] string? Description,
    [property: Id(3)] string? Link,
    [property: Id(4)] string? FileName,
    [property: Id(5)] string? ContentType);

/// <summary>An item of off-platform evidence in a case.</summary>
/// <param name="Number">Its number in the case, from 1.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the attached file's bytes, or of the link's UTF-8 text.</param>
/// <param name="Size">The file's size in bytes; 0 for a link.</param>
[GenerateSerializer, Immutable, Alias("rg.EvidenceItem")]
public sealed record EvidenceItem(
    [property: Id(0)] int Number,
    [property: Id(1)] string Source,
    [property: Id(2)] DateTimeOffset SeenAt,
    [property: Id(3)] string? Description,
    [property: Id(4)] string? Link,
    [property: Id(5)] string? FileName,
    [property: Id(6)] string? ContentType,
    [property: Id(7)] long Size,
    [property: Id(8)] string Sha256,
    [property: Id(9)] DateTimeOffset RecordedAt,
    [property: Id(10)] string RecordedBy);

[GenerateSerializer, Immutable, Alias("rg.CaseSummary")]
public sealed record CaseSummary([property: Id(0)] string Id, [property: Id(1)] string Name, [property: Id(2)] DateTimeOffset OpenedAt, [property: Id(3)] string OpenedBy);

/// <param name="Next">The sequence to read before for the next (older) page; null when this page reaches the first case.</param>
[GenerateSerializer, Immutable, Alias("rg.CaseSummaryPage")]
public sealed record CaseSummaryPage([property: Id(0)] CaseSummary[] Cases, [property: Id(1)] long? Next);
