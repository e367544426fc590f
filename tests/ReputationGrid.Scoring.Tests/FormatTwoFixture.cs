using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>An account as stored by state format 2, with every part of the state filled.</summary>
internal static class FormatTwoFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>What format 2 stored for <see cref="Account"/>, encoded by the version that wrote it.</summary>
    public const string Encoded =
        "Aoi0mqicAQAAAYCExKecAQAAAwABAjQ0AQsxMC4xLjIuMC8yNAEIZGV2aWNlLTcBpf6jaQAAAAAAASi1u8IBAAAAAAABAAEBAAIBAAQBAQUBAAYBAAgBAAkBAQsBAAwBAA0BAA8BARABABIBABMBABQBARYBABcBABgBABoBARsBAB0BAB4BAB8BASEBACIBACQBACUBASYBACgBACkBACoBASwBAC0BAC8BADABATEBADMBADQBADUBAQKVu8IBAAAAAAAAHgwBAQAAASCDBwAAAAAAACgoIBoNAQFCoAAAAAAAAAEo0VTg+oEPLbNV/o1FqaDz64o8Bg2cF6ttEzOeBmcpgnSxd+RrM059Vy2dJaVvJiuG69p5Wn7P4mT6nqL7ZoDD0vG4Su6K43YApU7qP6kxRcwcoFc2pOdG99OHl/alNjwbCfzqDw3HORiDeKLmh1laFO5LGVkqa78DUhpKjwETE5lFCHtKKeZcDTQND3M4jtalPKcCqAul1lYn15OiYzIFUQEAAgDvjaicAQAAiJ6iYiE+UYkBYNmOqJwBAACc9Hvh5tZDbgAB2FuzmEhN9IcAUGmonAEAAFBwmaicAQAAAAgMAAAgAAEAICAAAACAAAAAIAwEAEAAYAAAQCgAAACItJqonAEAACcAAAAAgEP0QAAAAAAAAAAAAAAAAAAANEDggpKonAEAAAMCDAbggpKonAEAAODeuK2cAQAAAeCCkqicAQAAAQLAFpeonAEAAAdvcHM6YW5hFWNoZWNraW5nIHRoZSBjYW1wYWlnbgAItrKcAQAAAuCCkqicAQAAAwIMBhNwb2xpY3k6MjAyNi0xMS0yMy4xAMAWl6icAQAAAwEUB29wczphbmEBFWNoZWNraW5nIHRoZSBjYW1wYWlnbg==";

    /// <summary>
    /// A young VoIP account's hour of spreading one campaign to strangers, with groups, forwards, replies, reports and
    /// a new contact; it was suspended automatically, then suspended by an operator.
    /// </summary>
    public static AccountReputation Account()
    {
        var account = new AccountReputation();
        var behaviour = account.Behaviour;
        behaviour.RecordRegistration(new Registration(T0.AddHours(-3), NetworkKind.Voip, false, "44", "10.1.2.0/24", "device-7"));
        for (var i = 0; i < 40; i++)
        {
            var at = T0.AddSeconds(i * 83);
            behaviour.RecordAttempt(at);
            var typed = (i % 3) switch { 0 => (bool?)null, 1 => true, _ => false };
            var fingerprint = i % 2 == 0 ? "campaign" : null;
            behaviour.RecordDelivery(at, new OutgoingMessage($"stranger-{i}", RecipientIsContact: i % 5 == 0, IsForward: i % 4 == 0, Fingerprint: fingerprint, Typed: typed));
        }

        behaviour.RecordGroupCreated(T0.AddMinutes(20));
        behaviour.RecordGroupMembersAdded(T0.AddMinutes(21), 30, 12);
        behaviour.RecordReply(T0.AddMinutes(30));
        behaviour.RecordContactAdded(T0.AddMinutes(31));
        behaviour.RecordNegativeFeedback(T0.AddMinutes(40), "stranger-3");
        behaviour.RecordNegativeFeedback(T0.AddMinutes(41), "never-messaged");

        var policy = new ScoringPolicy();
        var risk = new RiskAssessment();
        risk.Add(ReasonCode.FingerprintFanout, 50);
        risk.Add(ReasonCode.UnansweredStrangers, 30);
        var suspension = account.Enforcement.Judge(T0.AddMinutes(45), risk, default, policy);
        account.Enforcement.Apply(suspension, policy);
        account.Enforcement.ApplyOverride(OperatorCommand.Suspend, T0.AddMinutes(50), "ops:ana", "checking the campaign", T0.AddDays(2));
        return account;
    }
}
