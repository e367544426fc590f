using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Scoring;

/// <summary>
/// The byte stored for each enforcement action and operator command, written out so that reordering or adding enum
/// members can never change what stored states mean. A code, once stored, keeps its meaning: add codes, never reuse one.
/// </summary>
internal static class StoredCodes
{
    public static byte Of(EnforcementAction action) => action switch
    {
        EnforcementAction.Allow => 0,
        EnforcementAction.Throttle => 1,
        EnforcementAction.Challenge => 2,
        EnforcementAction.Suspend => 3,
        EnforcementAction.Ban => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Enforcement action without a stored code."),
    };

    public static EnforcementAction Action(byte code) => code switch
    {
        0 => EnforcementAction.Allow,
        1 => EnforcementAction.Throttle,
        2 => EnforcementAction.Challenge,
        3 => EnforcementAction.Suspend,
        4 => EnforcementAction.Ban,
        _ => throw new InvalidDataException($"Unknown enforcement action {code}."),
    };

    public static byte Of(OperatorCommand command) => command switch
    {
        OperatorCommand.Ban => 1,
        OperatorCommand.Suspend => 2,
        OperatorCommand.Clear => 3,
        OperatorCommand.Allowlist => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Operator command without a stored code."),
    };

    public static OperatorCommand Command(byte code) => code switch
    {
        1 => OperatorCommand.Ban,
        2 => OperatorCommand.Suspend,
        3 => OperatorCommand.Clear,
        4 => OperatorCommand.Allowlist,
        _ => throw new InvalidDataException($"Unknown operator command {code}."),
    };
}
