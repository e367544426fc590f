using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Parsing;

/// <summary>One validated event and the account it belongs to.</summary>
internal sealed record ParsedEvent(string Account, AccountEvent Event);

/// <summary>Turns one event of <c>POST /v1/events</c> (read by <see cref="WireContract.Event"/>) into a contract event, or says what is wrong with it.</summary>
internal static class EventParser
{
    public static ParsedEvent? Parse(WireFields fields, EventClock clock, out string? error)
    {
        var typeName = EnvelopeFields.Type.Read(fields);
        var account = EnvelopeFields.Account.Read(fields);
        var type = typeName is null ? null : AccountEventTypes.Named(typeName);
        var at = clock.Read(fields, type?.AnyPastDate ?? false);
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
