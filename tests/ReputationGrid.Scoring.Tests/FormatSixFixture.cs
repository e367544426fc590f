using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Tests;

/// <summary>An account as stored by state format 6, with every part of the state filled, the business part included.</summary>
internal static class FormatSixFixture
{
    public static readonly DateTimeOffset T0 = FormatTwoFixture.T0;

    /// <summary>What format 6 stored for <see cref="Account"/>, encoded by the version that wrote it.</summary>
    public const string Encoded =
        "Boi0mqicAQAAAYCExKecAQAAAwABAjQ0AQsxMC4xLjIuMC8yNAEIZGV2aWNlLTcBpf6jaQAAAAAAASi1u8IBAAAAAAABAAEBAAIBAAQBAQUBAAYBAAgBAAkBAQsBAAwBAA0BAA8BARABABIBABMBABQBARYBABcBABgBABoBARsBAB0BAB4BAB8BASEBACIBACQBACUBASYBACgBACkBACoBASwBAC0BAC8BADABATEBADMBADQBADUBAQKVu8IBAAAAAAAAHgwBAQAAASCDBwAAAAAAACg1IBoNAgFCoAAAAAAAAAE10VTg+oEPLbNV/o1FqaDz64o8Bg2cF6ttEzOeBmcpgnSxd+RrM059Vy2dJaVvJiuG69p5Wn7P4mT6nqL7ZoDD0vG4Su6K43YApU7qP6kxRcwcoFc2pOdG99OHl/alNjwbCfzqDw3HORiDeKLmh1laFO5LGVkqa78DUhpKjwETE5lFCHtKKeZcDTQND3M4jtalPKcCqAul1lYn15OiYzIFUdNNoBahHpc2ngRZo5wSv6nyHaYPAAHCGt1CbU23GtMc5l4t7hAlEgKzREWN6KNgQRPEhZgBAAMA742onAEAAIieomIhPlGJAWDZjqicAQAAnPR74ebWQ24A4NWZqJwBAADn2x0YFca7FwEB2FuzmEhN9IcAUGmonAEAAFBwmaicAQAAAAgMAAAgAAEAICAAAACAAAAAIAwEAEAAYAAAQCgAAACItJqonAEAACcAAAAAgEP0QAAAAAAAAAAAQG2TqJwBAACgV5SonAEAAIi0mqicAQAAiLSaqJwBAAAAAAAAAQMBAQAAAAAAAACAAAAAAAAAAIAggwcAAAAAAAAAAAAAAAAADAAAAAAAAAAAAAAAAAAAAIVAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0MAQABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA2Bpr9csbvCAbG7wgEAAACAAYwbzQixu8IBsbvCAQAAAIAB0Ze5EgAAAICzu8IBsrvCAQAVxrsXsbvCAbG7wgEAAACAAR1sKsSxu8IBsbvCAQAAAIABH1BJKrG7wgGxu8IBAAAAgAHjcpaMsbvCAbG7wgEAAACAAaTwYk6xu8IBsbvCAQAAAIAC54bj5rG7wgGxu8IBAAAAgAGoqUUcsbvCAbG7wgEAAACAAe9AU82xu8IBsbvCAQAAAIAB+Kl4q7G7wgGxu8IBAAAAgAE8NJ0msbvCAbG7wgEAAACAAQAAAAAAAAAAiLSaqJwBAAADAgwG4IKSqJwBAADg3ritnAEAAAHggpKonAEAAAECwBaXqJwBAAAHb3BzOmFuYRVjaGVja2luZyB0aGUgY2FtcGFpZ24ACLaynAEAAAXggpKonAEAAAMCDAYTcG9saWN5OjIwMjYtMTItMDMuMQDAFpeonAEAAAMBFAdvcHM6YW5hARVjaGVja2luZyB0aGUgY2FtcGFpZ26ItJqonAEAAAMBIxNwb2xpY3k6MjAyNi0xMi0wMy4xAQt0aWVyIDEgLT4gMoi0mqicAQAAAwEgE3BvbGljeToyMDI2LTEyLTAzLjEBFnF1YWxpdHkgaGlnaCAtPiBtZWRpdW1AwJqonAEAAAMBJAdvcHM6YW5hARNlbnRlcnByaXNlIGNvbnRyYWN0AAAAAAAAAIA=";

    /// <summary>
    /// The account of <see cref="FormatThreeFixture"/>, made a verified business by the platform, which then messaged its
    /// opted-in customers, answered one who wrote, and drew an opt-out and a block; an operator then set its tier.
    /// </summary>
    public static AccountReputation Account()
    {
        var account = FormatThreeFixture.Account();
        var behaviour = account.Behaviour;
        var policy = new ScoringPolicy();
        behaviour.RecordBusinessVerified(T0.AddMinutes(48), VerificationLevel.Basic);
        for (var i = 0; i < 12; i++)
        {
            behaviour.RecordConsent(T0.AddMinutes(48), $"customer-{i}", Consent.OptedIn);
            behaviour.RecordDelivery(T0.AddMinutes(49), new OutgoingMessage($"customer-{i}", false, Conversation: ConversationKind.BusinessInitiated));
        }

        behaviour.RecordReply(T0.AddMinutes(50), from: "walk-in");
        behaviour.RecordDelivery(T0.AddMinutes(51), new OutgoingMessage("walk-in", false, Conversation: ConversationKind.Service));
        behaviour.RecordConsent(T0.AddMinutes(52), "customer-3", Consent.OptedOut);
        behaviour.RecordNegativeFeedback(T0.AddMinutes(53), "customer-4", NegativeFeedbackKind.Block);
        account.Reassess(T0.AddMinutes(53), policy);
        account.SetBusinessTier(3, T0.AddMinutes(54), "ops:ana", "enterprise contract");
        return account;
    }
}
