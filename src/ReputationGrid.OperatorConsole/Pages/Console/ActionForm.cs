using System.Globalization;
using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>
/// An operator action as the console's forms post it: the command, a note (which the console requires, so every action
/// says why), to suspend an end in UTC, and to set a business's tier the tier. It is checked by the rules the HTTP API applies.
/// </summary>
public sealed class ActionForm
{
    public string? Command { get; set; }

    public string? Note { get; set; }

    /// <summary>As a <c>datetime-local</c> input sends it, read as UTC.</summary>
    public string? Until { get; set; }

    public string? Tier { get; set; }

    /// <summary>The action, or null with <paramref name="error"/> saying what is wrong with the form.</summary>
    public OperatorAction? Read(DateTimeOffset now, TimeSpan maxSuspension, string by, bool entity, out string? error)
    {
        error = null;
        if (Command is null || !OperatorCommands.ByName.TryGetValue(Command, out var command)
            || (entity && !OperatorCommands.AppliesToEntities(command)))
        {
            error = "Choose an action.";
            return null;
        }

        var note = Note?.Trim();
        if (string.IsNullOrEmpty(note) || note.Length > OperatorCommands.MaxNoteLength)
        {
            error = $"Write a note of 1 to {OperatorCommands.MaxNoteLength} characters saying why.";
            return null;
        }

        DateTimeOffset? until = null;
        if (!string.IsNullOrWhiteSpace(Until))
        {
            until = FormTime.Read(Until);
            if (until is null)
            {
                error = "Until: give a date and time.";
                return null;
            }
        }

        if (OperatorCommands.UntilProblem(command, until, now, maxSuspension) is { } problem)
        {
            error = $"Until: {problem}.";
            return null;
        }

        int? tier = null;
        if (!string.IsNullOrWhiteSpace(Tier))
        {
            if (!int.TryParse(Tier, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > Scoring.Policy.BusinessPolicy.MaxTier)
            {
                error = $"Tier: give a whole number from 1 to {Scoring.Policy.BusinessPolicy.MaxTier}.";
                return null;
            }

            tier = parsed;
        }

        if (OperatorCommands.TierProblem(command, tier) is { } tierProblem)
        {
            error = $"Tier: {tierProblem}.";
            return null;
        }

        return new OperatorAction(command, note, by, until, tier);
    }
}
