using System.Text.Json;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Parsing;

/// <summary>One validated event and the account it belongs to.</summary>
internal sealed record ParsedEvent(string Account, AccountEvent Event);

/// <summary>Turns one JSON event of <c>POST /v1/events</c> into a contract event, or says what is wrong with it.</summary>
internal static class EventParser
{
    public static ParsedEvent? Parse(JsonElement element, EventClock clock, out string? error)
    {
        var fields = new JsonFields(element);
        var typeName = EnvelopeFields.Type.Read(fields);
        var account = EnvelopeFields.Account.Read(fields);
        var at = clock.Read(fields);
        var type = typeName is null ? null : AccountEventTypes.Named(typeName);
        if (typeName is not null && type is null)
        {
            fields.Reject(EnvelopeFields.Type.Name, $"must be one of: {string.Join(", ", AccountEventTypes.All.Select(t => t.Name))}");
        }

        var accountEvent = type?.Read(fields, at);
        fields.RejectUnknownFields();
        error = fields.Error;
        return error is null ? new ParsedEvent(account!, accountEvent!) : null;
    }
}
