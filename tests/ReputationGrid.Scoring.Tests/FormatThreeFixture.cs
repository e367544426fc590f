namespace ReputationGrid.Scoring.Tests;

/// <summary>An account as stored by state format 3, with every part of the state filled.</summary>
internal static class FormatThreeFixture
{
    public static readonly DateTimeOffset T0 = FormatTwoFixture.T0;

    /// <summary>What format 3 stored for <see cref="Account"/>, encoded by the version that wrote it.</summary>
    public const string Encoded = 
        "A4i0mqicAQAAAYCExKecAQAAAwABAjQ0AQsxMC4xLjIuMC8yNAEIZGV2aWNlLTcBpf6jaQAAAAAAASi1u8IBAAAAAAABAAEBAAIBAAQBAQUBAAYBAAgBAAkBAQsBAAwBAA0BAA8BARABABIBABMBABQBARYBABcBABgBABoBARsBAB0BAB4BAB8BASEBACIBACQBACUBASYBACgBACkBACoBASwBAC0BAC8BADABATEBADMBADQBADUBAQKVu8IBAAAAAAAAHgwBAQAAASCDBwAAAAAAACgoIBoNAQFCoAAAAAAAAAEo0VTg+oEPLbNV/o1FqaDz64o8Bg2cF6ttEzOeBmcpgnSxd+RrM059Vy2dJaVvJiuG69p5Wn7P4mT6nqL7ZoDD0vG4Su6K43YApU7qP6kxRcwcoFc2pOdG99OHl/alNjwbCfzqDw3HORiDeKLmh1laFO5LGVkqa78DUhpKjwETE5lFCHtKKeZcDTQND3M4jtalPKcCqAul1lYn15OiYzIFUQEAAgDvjaicAQAAiJ6iYiE+UYkBYNmOqJwBAACc9Hvh5tZDbgAB2FuzmEhN9IcAUGmonAEAAFBwmaicAQAAAAgMAAAgAAEAICAAAACAAAAAIAwEAEAAYAAAQCgAAACItJqonAEAACcAAAAAgEP0QAAAAAAAAAAAQG2TqJwBAACgV5SonAEAAIi0mqicAQAAiLSaqJwBAAAAAAAAAAAAAAAANEDggpKonAEAAAMCDAbggpKonAEAAODeuK2cAQAAAeCCkqicAQAAAQLAFpeonAEAAAdvcHM6YW5hFWNoZWNraW5nIHRoZSBjYW1wYWlnbgAItrKcAQAAAuCCkqicAQAAAwIMBhNwb2xpY3k6MjAyNi0xMS0yMy4xAMAWl6icAQAAAwEUB29wczphbmEBFWNoZWNraW5nIHRoZSBjYW1wYWlnbgAAAAAAAACA";

    /// <summary>The account of <see cref="FormatTwoFixture"/>, which then passed one challenge and failed another.</summary>
    public static AccountReputation Account()
    {
        var account = FormatTwoFixture.Account();
        account.Behaviour.RecordChallengePassed(T0.AddMinutes(46));
        account.Behaviour.RecordChallengeFailed(T0.AddMinutes(47));
        return account;
    }
}
