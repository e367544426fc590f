using System.Text.Json;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Api.Parsing;

/// <summary>A validated send-time check.</summary>
internal sealed record ParsedSendCheck(string Account, DateTimeOffset At, MessageDetails Message);

/// <summary>Parsers for the single-object requests; each returns null and a field-naming error when the input is bad.</summary>
internal static class RequestParsers
{
    private static readonly ChoiceField<OperatorCommand> Command = new("action", new Dictionary<string, OperatorCommand>(StringComparer.Ordinal)
    {
        ["ban"] = OperatorCommand.Ban,
        ["suspend"] = OperatorCommand.Suspend,
        ["clear"] = OperatorCommand.Clear,
        ["allowlist"] = OperatorCommand.Allowlist,
    });

    private static readonly TextField Reason = new("reason", maxLength: 500);
    private static readonly IdField By = new("by");
    private static readonly TimestampField Until = new("until");

    public static ParsedSendCheck? SendCheck(JsonElement body, EventClock clock, out JsonFields fields)
    {
        fields = new JsonFields(body);
        var account = EnvelopeFields.Account.Read(fields);
        var message = MessageFields.Read(fields);
        var at = clock.Read(fields);
        fields.RejectUnknownFields();
        return fields.Error is null ? new ParsedSendCheck(account!, at, message) : null;
    }

    public static OperatorAction? OperatorAction(JsonElement body, DateTimeOffset now, out JsonFields fields)
    {
        fields = new JsonFields(body);
        var command = Command.Read(fields);
        var reason = Reason.Read(fields);
        var by = By.Read(fields);
        var until = Until.Read(fields);
        if (command == OperatorCommand.Suspend && until is null)
        {
            fields.Reject(Until.Name, "is required to suspend");
        }
        else if (command == OperatorCommand.Suspend && until <= now)
        {
            fields.Reject(Until.Name, "must lie in the future");
        }
        else if (command is not null and not OperatorCommand.Suspend && until is not null)
        {
            fields.Reject(Until.Name, "applies only to suspend");
        }

        fields.RejectUnknownFields();
        return fields.Error is null ? new OperatorAction(command!.Value, reason!, by!, until) : null;
    }
}
