using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Scoring.Tests;

public sealed class AccountStateCodecTests
{
    [Fact]
    public void Actions_and_commands_keep_the_codes_states_were_stored_with()
    {
        // These bytes are in stored states: a failure here means existing states would be read wrongly.
        Assert.Equal(
            [(EnforcementAction.Allow, 0), (EnforcementAction.Throttle, 1), (EnforcementAction.Challenge, 2), (EnforcementAction.Suspend, 3), (EnforcementAction.Ban, 4)],
            Enum.GetValues<EnforcementAction>().Select(action => (action, (int)StoredCodes.Of(action))));
        Assert.Equal(
            [(OperatorCommand.Ban, 1), (OperatorCommand.Suspend, 2), (OperatorCommand.Clear, 3), (OperatorCommand.Allowlist, 4)],
            Enum.GetValues<OperatorCommand>().Select(command => (command, (int)StoredCodes.Of(command))));
        Assert.All(Enum.GetValues<EnforcementAction>(), action => Assert.Equal(action, StoredCodes.Action(StoredCodes.Of(action))));
        Assert.All(Enum.GetValues<OperatorCommand>(), command => Assert.Equal(command, StoredCodes.Command(StoredCodes.Of(command))));
    }

    [Fact]
    public void An_unknown_action_or_command_code_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => StoredCodes.Action(5));
        Assert.Throws<InvalidDataException>(() => StoredCodes.Command(0));
        Assert.Throws<InvalidDataException>(() => StoredCodes.Command(5));
    }
}
