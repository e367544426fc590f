namespace ReputationGrid.Contracts.Fields;

/// <summary>The fields every event has beside its own; the send check has <see cref="Account"/> and <see cref="At"/> too.</summary>
public static class EnvelopeFields
{
    public static readonly TextField Type = new("type", maxLength: 64);

    /// <summary>The account the event or check is about (the account grain's key).</summary>
    public static readonly IdField Account = new("account");

    /// <summary>When it happened; absent means now.</summary>
    public static readonly TimestampField At = new("at");
}
