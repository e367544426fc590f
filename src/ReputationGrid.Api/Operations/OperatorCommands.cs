using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Api.Operations;

/// <summary>The operator commands by their API names, and the rules an action's end date must keep.</summary>
public static class OperatorCommands
{
    /// <summary>Each command by the name the HTTP API and the console use for it.</summary>
    public static readonly IReadOnlyDictionary<string, OperatorCommand> ByName = new Dictionary<string, OperatorCommand>(StringComparer.Ordinal)
    {
        ["ban"] = OperatorCommand.Ban,
        ["suspend"] = OperatorCommand.Suspend,
        ["clear"] = OperatorCommand.Clear,
        ["allowlist"] = OperatorCommand.Allowlist,
        ["set_tier"] = OperatorCommand.SetTier,
    };

    /// <summary>The longest note an action may carry.</summary>
    public const int MaxNoteLength = 500;

    public static string Name(OperatorCommand command) => ByName.First(pair => pair.Value == command).Key;

    /// <summary>Entities can only be banned or cleared.</summary>
    public static bool AppliesToEntities(OperatorCommand command) => command is OperatorCommand.Ban or OperatorCommand.Clear;

    /// <summary>What is wrong with <paramref name="tier"/> for <paramref name="command"/>, or null when it is right.</summary>
    public static string? TierProblem(OperatorCommand? command, int? tier) =>
        command == OperatorCommand.SetTier && tier is null ? "is required to set a tier"
        : command is not null and not OperatorCommand.SetTier && tier is not null ? "applies only to set_tier"
        : null;

    /// <summary>What is wrong with <paramref name="until"/> for <paramref name="command"/>, or null when it is right.</summary>
    /// <param name="maxSuspension">How far ahead a suspension may end.</param>
    public static string? UntilProblem(OperatorCommand? command, DateTimeOffset? until, DateTimeOffset now, TimeSpan maxSuspension) =>
        command == OperatorCommand.Suspend && until is null ? "is required to suspend"
        : command == OperatorCommand.Suspend && until <= now ? "must lie in the future"
        : command == OperatorCommand.Suspend && until - now > maxSuspension ? $"must lie at most {GatewayOptions.Describe(maxSuspension)} ahead"
        : command is not null and not OperatorCommand.Suspend && until is not null ? "applies only to suspend"
        : null;
}
