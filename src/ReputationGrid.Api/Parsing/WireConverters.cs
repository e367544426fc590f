using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReputationGrid.Api.Parsing;

/// <summary>
/// A value the contract could not read: of the wrong JSON type, or text that is not valid Unicode (invalid UTF-8 or
/// a lone surrogate escape), or an item of a list with a field more than once. The serializer adds the path and position.
/// </summary>
internal sealed class WireValueException(bool invalidText, int? repeatedFieldInItem = null) : JsonException
{
    public bool InvalidText => invalidText;

    /// <summary>The index of the list item that has a field more than once.</summary>
    public int? RepeatedFieldInItem => repeatedFieldInItem;
}

/// <summary>A JSON string, decoded; the built-in converter answers invalid text with an exception that looks like a wrong type.</summary>
internal sealed class WireTextConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Text(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public static string Text(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new WireValueException(invalidText: false);
        }

        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new WireValueException(invalidText: true);
        }
    }
}

internal sealed class WireBoolConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new WireValueException(invalidText: false),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}

/// <summary>A JSON number that is a whole number fitting an <see cref="int"/> (no fraction, no exponent, no string).</summary>
internal sealed class WireIntConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : throw new WireValueException(invalidText: false);

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>An RFC 3339 timestamp with an explicit offset (Z or ±hh:mm), read into UTC: a time without one is ambiguous.</summary>
internal sealed class WireTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = WireTextConverter.Text(ref reader);
        if (!HasExplicitOffset(text) || !reader.TryGetDateTimeOffset(out var at))
        {
            throw new WireValueException(invalidText: false);
        }

        return at.ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    private static bool HasExplicitOffset(string text) =>
        text.Length > 6 && (text[^1] is 'Z' or 'z'
            || (text[^6] is '+' or '-' && char.IsAsciiDigit(text[^5]) && char.IsAsciiDigit(text[^4]) && text[^3] == ':'
                && char.IsAsciiDigit(text[^2]) && char.IsAsciiDigit(text[^1])));
}

/// <summary>The events of a batch, each kept as raw JSON (duplicate fields inside are still refused).</summary>
internal sealed class EventListConverter : JsonConverter<List<JsonElement>>
{
    public override List<JsonElement> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new WireValueException(invalidText: false);
        }

        var element = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<JsonElement>)options.GetTypeInfo(typeof(JsonElement));
        var events = new List<JsonElement>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            try
            {
                events.Add(JsonSerializer.Deserialize(ref reader, element));
            }
            catch (JsonException e) when (e.GetType() == typeof(JsonException))
            {
                // The serializer's own error for a repeated field; malformed JSON throws a subclass and stays as it is.
                throw new WireValueException(invalidText: false, repeatedFieldInItem: events.Count);
            }
        }

        return events;
    }

    public override void Write(Utf8JsonWriter writer, List<JsonElement> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Event batches are only read.");
}
