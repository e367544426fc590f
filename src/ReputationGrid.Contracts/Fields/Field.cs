using System.Globalization;

namespace ReputationGrid.Contracts.Fields;

/// <summary>One field of a request: its wire name, whether it must be there, and the rule its value follows.</summary>
public abstract class Field(string name, bool required)
{
    public string Name { get; } = name;

    public bool Required { get; } = required;

    /// <summary>What else the docs say about the field, e.g. "opaque".</summary>
    public string? Note { get; init; }

    /// <summary>The rule the value follows, as the docs state it (e.g. "1 to 100000"); null when the kind says enough.</summary>
    public abstract string? Rule { get; }

    /// <summary>What the error says when the value has the wrong JSON type or is out of range, e.g. "must be a string".</summary>
    public abstract string Expected { get; }

    /// <summary>
    /// Reports a field that is missing though required, or whose value is not what <see cref="Expected"/> says: an
    /// absent optional field is no problem, and costs no message, since some are built from the field's rule.
    /// </summary>
    protected void Reject(IFieldSource source, FieldPresence presence)
    {
        if (presence != FieldPresence.Absent)
        {
            source.Reject(Name, Expected);
        }
        else if (Required)
        {
            source.Reject(Name, "is required");
        }
    }

    /// <summary>A non-empty string of at most <paramref name="maxLength"/> characters.</summary>
    protected string? ReadText(IFieldSource source, int maxLength)
    {
        var presence = source.ReadText(Name, out var text);
        if (presence != FieldPresence.Present)
        {
            Reject(source, presence);
            return null;
        }

        if (text!.Length == 0)
        {
            source.Reject(Name, "must not be empty");
            return null;
        }

        if (text.Length > maxLength)
        {
            source.Reject(Name, $"must be at most {maxLength} characters");
            return null;
        }

        return text;
    }
}

/// <summary>An account, recipient, group or person id (<see cref="Identifiers.Rule"/>).</summary>
/// <param name="account">
/// Whether the id names an account (an account, recipient, reporter or person): those are read as the id the account is
/// stored under (<see cref="IFieldSource.StoredAccountId"/>), so that no raw account id reaches a grain when ids are pseudonymised.
/// </param>
public sealed class IdField(string name, bool required = true, bool account = true) : Field(name, required)
{
    public override string? Rule => null;

    public override string Expected => "must be a string";

    public string? Read(IFieldSource source)
    {
        var id = ReadText(source, Identifiers.MaxLength);
        if (id is null)
        {
            return null;
        }

        if (!Identifiers.IsValid(id))
        {
            source.Reject(Name, $"must be {Identifiers.Rule}");
            return null;
        }

        return account ? source.StoredAccountId(id) : id;
    }

    public void Write(IFieldWriter writer, string? value)
    {
        if (value is not null)
        {
            writer.WriteText(Name, value);
        }
    }
}

/// <summary>Free text of bounded length.</summary>
public sealed class TextField(string name, int maxLength, bool required = true) : Field(name, required)
{
    public override string Rule => $"at most {maxLength} characters";

    public override string Expected => "must be a string";

    public string? Read(IFieldSource source) => ReadText(source, maxLength);

    public void Write(IFieldWriter writer, string? value)
    {
        if (value is not null)
        {
            writer.WriteText(Name, value);
        }
    }
}

public sealed class BoolField(string name, bool required = false) : Field(name, required)
{
    public override string? Rule => null;

    public override string Expected => "must be true or false";

    public bool? Read(IFieldSource source)
    {
        var presence = source.ReadBool(Name, out var value);
        if (presence != FieldPresence.Present)
        {
            Reject(source, presence);
            return null;
        }

        return value;
    }

    public void Write(IFieldWriter writer, bool? value)
    {
        if (value is { } present)
        {
            writer.WriteBool(Name, present);
        }
    }
}

/// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, and at most the value of <see cref="AtMost"/> when set.</summary>
public sealed class IntField(string name, int min, int max, bool required = true) : Field(name, required)
{
    /// <summary>Another field of the same request this one must not exceed.</summary>
    public IntField? AtMost { get; init; }

    public override string Rule => $"{min} to {AtMost?.Name ?? max.ToString(CultureInfo.InvariantCulture)}";

    public override string Expected => $"must be a whole number from {min} to {max}";

    /// <param name="atMostValue">The value read for <see cref="AtMost"/>, if it was valid.</param>
    public int? Read(IFieldSource source, int? atMostValue = null)
    {
        var presence = source.ReadInt(Name, out var value);
        if (presence != FieldPresence.Present || value < min || value > max)
        {
            Reject(source, presence);
            return null;
        }

        if (AtMost is not null && value > atMostValue)
        {
            source.Reject(Name, $"must not exceed {AtMost.Name}");
            return null;
        }

        return value;
    }

    public void Write(IFieldWriter writer, int? value)
    {
        if (value is { } present)
        {
            writer.WriteInt(Name, present);
        }
    }
}

/// <summary>One of a fixed set of lower-case names, each standing for a value.</summary>
public sealed class ChoiceField<TValue>(string name, IReadOnlyDictionary<string, TValue> choices, bool required = true) : Field(name, required)
    where TValue : struct
{
    public override string Rule => string.Join(", ", choices.Keys.Select(choice => $"`{choice}`"));

    public override string Expected => $"must be one of: {string.Join(", ", choices.Keys)}";

    public TValue? Read(IFieldSource source)
    {
        var presence = source.ReadText(Name, out var text);
        if (presence == FieldPresence.Present && choices.TryGetValue(text!, out var value))
        {
            return value;
        }

        Reject(source, presence);
        return null;
    }

    public void Write(IFieldWriter writer, TValue? value)
    {
        if (value is not { } present)
        {
            return;
        }

        foreach (var (choice, choiceValue) in choices)
        {
            if (EqualityComparer<TValue>.Default.Equals(choiceValue, present))
            {
                writer.WriteText(Name, choice);
                return;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"{Name} has no name for this value.");
    }
}

/// <summary>An RFC 3339 timestamp with an explicit offset (Z or ±hh:mm).</summary>
public sealed class TimestampField(string name, bool required = false) : Field(name, required)
{
    public override string? Rule => null;

    public override string Expected => "must be an RFC 3339 timestamp with an offset, e.g. 2026-11-23T10:15:00Z";

    public DateTimeOffset? Read(IFieldSource source)
    {
        var presence = source.ReadTimestamp(Name, out var value);
        if (presence != FieldPresence.Present)
        {
            Reject(source, presence);
            return null;
        }

        return value;
    }
}
