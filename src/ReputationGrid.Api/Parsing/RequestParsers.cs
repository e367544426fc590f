using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Api.Parsing;

/// <summary>A validated send-time check.</summary>
internal sealed record ParsedSendCheck(string Account, DateTimeOffset At, MessageDetails Message);

/// <summary>Parsers for the single-object requests; each returns null and a field-naming error when the input is bad.</summary>
internal static class RequestParsers
{
    private static readonly ChoiceField<OperatorCommand> Command = new("action", OperatorCommands.ByName);
    private static readonly TextField Note = new("note", maxLength: OperatorCommands.MaxNoteLength, required: false);
    private static readonly TimestampField Until = new("until");
    private static readonly IntField Tier = new("tier", 1, BusinessPolicy.MaxTier, required: false);

    private static readonly Dictionary<string, LabelKind> LabelKinds = new(StringComparer.Ordinal)
    {
        ["abuse"] = LabelKind.Abuse,
        ["legitimate"] = LabelKind.Legitimate,
    };

    private static readonly ChoiceField<LabelKind> Label = new("label", LabelKinds);
    private static readonly TextField Reason = new("reason", maxLength: 200);
    private static readonly TimestampField LabelledAt = new("at");

    /// <summary>The fields of a label.</summary>
    public static Field[] LabelFields => [EnvelopeFields.Account, Label, Reason, LabelledAt];

    /// <summary>The API's name of a label kind.</summary>
    public static string Name(LabelKind label) => LabelKinds.First(pair => pair.Value == label).Key;

    /// <summary>The fields of an operator action.</summary>
    public static Field[] OperatorActionFields => [Command, Note, Until, Tier];

    /// <summary>
    /// The error of a send check its account refused for its time (dated before the account registered), named by the
    /// field as every other error of the request is.
    /// </summary>
    public static string RefusedSendCheck(ArgumentException refused) => $"at: {refused.Message}";

    public static ParsedSendCheck? SendCheck(WireFields fields, EventClock clock)
    {
        var account = EnvelopeFields.Account.Read(fields);
        var message = MessageFields.Read(fields);
        var at = clock.Read(fields, anyPastDate: false);
        fields.RejectUnknownFields();
        return fields.Error is null ? new ParsedSendCheck(account!, at, message) : null;
    }

    /// <summary>A label and the account it is about; <c>at</c> defaults to now and may not lie in the future.</summary>
    /// <param name="by">The authenticated caller, who establishes the label.</param>
    public static (string Account, AccountLabel Label)? AccountLabel(WireFields fields, DateTimeOffset now, string by)
    {
        var account = EnvelopeFields.Account.Read(fields);
        var label = Label.Read(fields);
        var reason = Reason.Read(fields);
        var at = LabelledAt.Read(fields);
        if (at > now)
        {
            fields.Reject(LabelledAt.Name, "must not lie in the future");
        }

        fields.RejectUnknownFields();
        return fields.Error is null ? (account!, new AccountLabel(label!.Value, reason!, at ?? now, by, now)) : null;
    }

    /// <param name="maxSuspension">How far ahead a suspension may end.</param>
    /// <param name="by">The authenticated caller, who acts.</param>
    public static OperatorAction? OperatorAction(WireFields fields, DateTimeOffset now, TimeSpan maxSuspension, string by)
    {
        var command = Command.Read(fields);
        var note = Note.Read(fields);
        var until = Until.Read(fields);
        var tier = Tier.Read(fields);
        if (OperatorCommands.TierProblem(command, tier) is { } tierProblem && fields.Error is null)
        {
            fields.Reject(Tier.Name, tierProblem);
        }
        else if (OperatorCommands.UntilProblem(command, until, now, maxSuspension) is { } problem)
        {
            fields.Reject(Until.Name, problem);
        }

        fields.RejectUnknownFields();
        return fields.Error is null ? new OperatorAction(command!.Value, note, by, until, tier) : null;
    }
}
