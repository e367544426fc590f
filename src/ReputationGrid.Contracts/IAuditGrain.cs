using Orleans.Concurrency;

namespace ReputationGrid.Contracts;

/// <summary>
/// The audit trail of one subject, keyed by it (<c>account/&lt;id&gt;</c>): who changed its standing or
/// configuration, when, how and from where. Append-only; read newest first, a page at a time.
/// Method aliases are part of the wire format: keep them when renaming.
/// </summary>
[Alias("rg.IAuditGrain")]
public interface IAuditGrain : IGrainWithStringKey
{
    /// <summary>Stores the record before returning; its sequence number within the subject's trail.</summary>
    [Alias("Append")]
    Task<long> AppendAsync(AuditRecord record);

    /// <summary>Up to <paramref name="limit"/> entries, newest first, older than sequence <paramref name="before"/> (all when null).</summary>
    [Alias("Read"), ReadOnly]
    Task<AuditPage> ReadAsync(long? before, int limit);
}

/// <summary>One audited change.</summary>
/// <param name="Actor">Who: the API key's name or the token's name claim (<c>local</c> while authentication is off).</param>
/// <param name="Action">What, as <c>&lt;kind&gt;.&lt;verb&gt;</c> (for example <c>account.ban</c>).</param>
/// <param name="Address">The caller's network address, as the gateway saw it.</param>
/// <param name="Details">The change's parameters by name (for example <c>note</c>, <c>until</c>).</param>
[GenerateSerializer, Immutable, Alias("rg.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Action,
    [property: Id(3)] string? Address,
    [property: Id(4)] Dictionary<string, string> Details);

[GenerateSerializer, Immutable, Alias("rg.AuditEntry")]
public sealed record AuditEntry([property: Id(0)] long Sequence, [property: Id(1)] AuditRecord Record);

/// <param name="Next">The sequence to read before for the next (older) page; null when this page reaches the first entry.</param>
[GenerateSerializer, Immutable, Alias("rg.AuditPage")]
public sealed record AuditPage([property: Id(0)] AuditEntry[] Entries, [property: Id(1)] long? Next);
