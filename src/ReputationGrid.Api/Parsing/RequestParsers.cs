using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Api.Parsing;

/// <summary>A validated send-time check.</summary>
internal sealed record ParsedSendCheck(string Account, DateTimeOffset At, MessageDetails Message);

/// <summary>Parsers for the single-object requests; each returns null and a field-naming error when the input is bad.</summary>
internal static class RequestParsers
{
    private static readonly ChoiceField<OperatorCommand> Command = new("action", OperatorCommands.ByName);
    private static readonly TextField Note = new("note", maxLength: OperatorCommands.MaxNoteLength, required: false);
    private static readonly TimestampField Until = new("until");

    /// <summary>The fields of an operator action.</summary>
    public static Field[] OperatorActionFields => [Command, Note, Until];

    public static ParsedSendCheck? SendCheck(WireFields fields, EventClock clock)
    {
        var account = EnvelopeFields.Account.Read(fields);
        var message = MessageFields.Read(fields);
        var at = clock.Read(fields, anyPastDate: false);
        fields.RejectUnknownFields();
        return fields.Error is null ? new ParsedSendCheck(account!, at, message) : null;
    }

    /// <param name="maxSuspension">How far ahead a suspension may end.</param>
    /// <param name="by">The authenticated caller, who acts.</param>
    public static OperatorAction? OperatorAction(WireFields fields, DateTimeOffset now, TimeSpan maxSuspension, string by)
    {
        var command = Command.Read(fields);
        var note = Note.Read(fields);
        var until = Until.Read(fields);
        if (OperatorCommands.UntilProblem(command, until, now, maxSuspension) is { } problem)
        {
            fields.Reject(Until.Name, problem);
        }

        fields.RejectUnknownFields();
        return fields.Error is null ? new OperatorAction(command!.Value, note, by, until) : null;
    }
}
