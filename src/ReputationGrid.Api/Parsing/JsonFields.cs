using System.Text.Json;
using System.Text.RegularExpressions;
using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Parsing;

/// <summary>
/// The fields of one JSON object, read strictly: the field definitions check each value, and the first
/// problem is kept as an error that names the field. Fields the caller never asked for are errors too,
/// so a misspelt optional field is reported instead of silently ignored.
/// </summary>
internal sealed partial class JsonFields : IFieldSource
{
    private readonly JsonElement _object;
    private readonly string _prefix;
    // The names asked for, and how many of them the object has: a request is parsed per message, and a set
    // of names per request was a seventh of the send check's allocations.
    private string[] _asked = new string[8];
    private int _askedCount;
    private int _askedAndPresent;

    /// <param name="element">The JSON value expected to be an object.</param>
    /// <param name="prefix">How error messages name the object ("" for the request body).</param>
    public JsonFields(JsonElement element, string prefix = "")
    {
        _object = element;
        _prefix = prefix;
        if (element.ValueKind != JsonValueKind.Object)
        {
            ErrorField = prefix.Length == 0 ? "body" : prefix;
            Error = $"{ErrorField}: must be a JSON object";
        }
    }

    /// <summary>The first problem found, as "field: what is wrong"; null while all is well.</summary>
    public string? Error { get; private set; }

    /// <summary>The field the first problem is about.</summary>
    public string? ErrorField { get; private set; }

    public FieldPresence ReadText(string name, out string? value)
    {
        value = null;
        if (!TryGet(name, out var element))
        {
            return FieldPresence.Absent;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return FieldPresence.WrongType;
        }

        value = element.GetString()!;
        return FieldPresence.Present;
    }

    public FieldPresence ReadBool(string name, out bool value)
    {
        value = false;
        if (!TryGet(name, out var element))
        {
            return FieldPresence.Absent;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return FieldPresence.WrongType;
        }

        value = element.ValueKind == JsonValueKind.True;
        return FieldPresence.Present;
    }

    public FieldPresence ReadInt(string name, out int value)
    {
        value = 0;
        if (!TryGet(name, out var element))
        {
            return FieldPresence.Absent;
        }

        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value) ? FieldPresence.Present : FieldPresence.WrongType;
    }

    /// <summary>An RFC 3339 timestamp with an explicit offset (Z or ±hh:mm), returned in UTC.</summary>
    public FieldPresence ReadTimestamp(string name, out DateTimeOffset value)
    {
        value = default;
        if (!TryGet(name, out var element))
        {
            return FieldPresence.Absent;
        }

        if (element.ValueKind != JsonValueKind.String
            || !ExplicitOffset().IsMatch(element.GetString()!)
            || !element.TryGetDateTimeOffset(out var at))
        {
            return FieldPresence.WrongType;
        }

        value = at.ToUniversalTime();
        return FieldPresence.Present;
    }

    public void Reject(string name, string message)
    {
        if (Error is null)
        {
            ErrorField = _prefix.Length == 0 ? name : $"{_prefix}.{name}";
            Error = $"{ErrorField}: {message}";
        }
    }

    /// <summary>Call after reading every known field: any other field is an error.</summary>
    public void RejectUnknownFields()
    {
        if (Error is not null || _object.GetPropertyCount() == _askedAndPresent)
        {
            return;
        }

        foreach (var property in _object.EnumerateObject())
        {
            if (!WasAsked(property))
            {
                Reject(property.Name, "is not a known field");
                return;
            }
        }
    }

    private bool WasAsked(JsonProperty property)
    {
        for (var i = 0; i < _askedCount; i++)
        {
            if (property.NameEquals(_asked[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The field's value when it is there and not null, and the request has no error yet.</summary>
    private bool TryGet(string name, out JsonElement value)
    {
        var firstAsk = Array.IndexOf(_asked, name, 0, _askedCount) < 0;
        if (firstAsk)
        {
            if (_askedCount == _asked.Length)
            {
                Array.Resize(ref _asked, _asked.Length * 2);
            }

            _asked[_askedCount++] = name;
        }

        if (Error is not null)
        {
            value = default;
            return false;
        }

        var present = _object.TryGetProperty(name, out value);
        if (present && firstAsk)
        {
            _askedAndPresent++;
        }

        return present && value.ValueKind != JsonValueKind.Null;
    }

    [GeneratedRegex(@"(Z|z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();
}
