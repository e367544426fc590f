namespace ReputationGrid.Contracts.Fields;

/// <summary>Whether a field is there, and whether its value has the primitive type asked for.</summary>
public enum FieldPresence
{
    /// <summary>Missing or null, or not read because the request already has an error.</summary>
    Absent,
    Present,
    WrongType,
}

/// <summary>
/// Where the fields of one request are read from (a JSON object today). A source only finds fields and their
/// primitive values; the field definitions validate them, so every source accepts and rejects alike.
/// </summary>
public interface IFieldSource
{
    FieldPresence ReadText(string name, out string? value);

    FieldPresence ReadBool(string name, out bool value);

    /// <summary>A whole number that fits an <see cref="int"/>; any other number is <see cref="FieldPresence.WrongType"/>.</summary>
    FieldPresence ReadInt(string name, out int value);

    /// <summary>A point in time with an explicit offset, returned in UTC.</summary>
    FieldPresence ReadTimestamp(string name, out DateTimeOffset value);

    /// <summary>The id a valid account id is stored under: the id itself, or its pseudonym when the gateway pseudonymises account ids.</summary>
    string StoredAccountId(string id);

    /// <summary>Records a problem with a field; only the first problem of a request is kept.</summary>
    void Reject(string name, string message);
}

/// <summary>Where the fields of one request are written to, in the shape an <see cref="IFieldSource"/> reads back.</summary>
public interface IFieldWriter
{
    void WriteText(string name, string value);

    void WriteBool(string name, bool value);

    void WriteInt(string name, int value);
}
