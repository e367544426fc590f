using System.Globalization;
using System.Text.Json;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Simulator.Traffic;

/// <summary>Writes events and send checks in the JSON shape the HTTP API takes, from the event types' field definitions.</summary>
public static class ApiJson
{
    /// <summary>One event of <c>POST /v1/events</c>.</summary>
    public static void WriteEvent(Utf8JsonWriter writer, string account, AccountEvent accountEvent)
    {
        var type = AccountEventTypes.Of(accountEvent);
        writer.WriteStartObject();
        writer.WriteString(EnvelopeFields.Type.Name, type.Name);
        WriteEnvelope(writer, account, accountEvent.At);
        type.Write(accountEvent, new FieldWriter(writer));
        writer.WriteEndObject();
    }

    /// <summary>The properties of a <c>POST /v1/decisions/send</c> body.</summary>
    public static void WriteSendCheck(Utf8JsonWriter writer, string account, DateTimeOffset at, MessageDetails message)
    {
        WriteEnvelope(writer, account, at);
        MessageFields.List.Write(message, new FieldWriter(writer));
    }

    private static void WriteEnvelope(Utf8JsonWriter writer, string account, DateTimeOffset at)
    {
        writer.WriteString(EnvelopeFields.Account.Name, account);
        writer.WriteString(EnvelopeFields.At.Name, Timestamp(at));
    }

    /// <summary>RFC 3339 in UTC with milliseconds: the precision event time is kept at.</summary>
    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private sealed class FieldWriter(Utf8JsonWriter writer) : IFieldWriter
    {
        public void WriteText(string name, string value) => writer.WriteString(name, value);

        public void WriteBool(string name, bool value) => writer.WriteBoolean(name, value);

        public void WriteInt(string name, int value) => writer.WriteNumber(name, value);
    }
}
