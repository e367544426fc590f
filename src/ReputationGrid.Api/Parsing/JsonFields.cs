using System.Text.Json;
using System.Text.RegularExpressions;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Parsing;

/// <summary>
/// Reads the fields of one JSON object strictly: each getter checks type and range, and the first
/// problem is kept as an error that names the field. Fields the caller never asked for are errors too,
/// so a misspelt optional field is reported instead of silently ignored.
/// </summary>
internal sealed partial class JsonFields
{
    private readonly JsonElement _object;
    private readonly string _prefix;
    // The names asked for, and how many of them the object has: a request is parsed per message, and a set
    // of names per request was a seventh of the send check's allocations (docs/BENCHMARKS.md).
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

    public string? Id(string name, bool required = true)
    {
        var id = Text(name, required, Identifiers.MaxLength);
        return id is not null && !Identifiers.IsValid(id) ? Fail<string>(name, $"must be {Identifiers.Rule}") : id;
    }

    public string? Text(string name, bool required = true, int maxLength = 500)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fail<string>(name, "must be a string");
        }

        var text = value.GetString()!;
        return text.Length switch
        {
            0 => Fail<string>(name, "must not be empty"),
            _ when text.Length > maxLength => Fail<string>(name, $"must be at most {maxLength} characters"),
            _ => text,
        };
    }

    public bool? Bool(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => FailValue<bool>(name, "must be true or false"),
        };
    }

    public int? Int(string name, int min, int max, bool required = true)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : FailValue<int>(name, $"must be a whole number from {min} to {max}");
    }

    /// <summary>An RFC 3339 timestamp with an explicit offset (Z or ±hh:mm), returned in UTC.</summary>
    public DateTimeOffset? Timestamp(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
               && ExplicitOffset().IsMatch(value.GetString()!)
               && value.TryGetDateTimeOffset(out var at)
            ? at.ToUniversalTime()
            : FailValue<DateTimeOffset>(name, "must be an RFC 3339 timestamp with an offset, e.g. 2026-11-23T10:15:00Z");
    }

    /// <summary>One of a fixed set of lower-case names.</summary>
    public TEnum? Choice<TEnum>(string name, IReadOnlyDictionary<string, TEnum> choices, bool required = true) where TEnum : struct
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && choices.TryGetValue(value.GetString()!, out var choice)
            ? choice
            : FailValue<TEnum>(name, $"must be one of: {string.Join(", ", choices.Keys)}");
    }

    /// <summary>Records an error about a field found by the caller (a rule across fields).</summary>
    public void Reject(string name, string message) => Fail<string>(name, message);

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
                Fail<string>(property.Name, "is not a known field");
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

    private bool TryGet(string name, bool required, out JsonElement value)
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

        if (!present || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Fail<string>(name, "is required");
            }

            return false;
        }

        return true;
    }

    private T? Fail<T>(string name, string message) where T : class
    {
        if (Error is null)
        {
            ErrorField = _prefix.Length == 0 ? name : $"{_prefix}.{name}";
            Error = $"{ErrorField}: {message}";
        }

        return null;
    }

    private T? FailValue<T>(string name, string message) where T : struct
    {
        Fail<string>(name, message);
        return null;
    }

    [GeneratedRegex(@"(Z|z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();
}
