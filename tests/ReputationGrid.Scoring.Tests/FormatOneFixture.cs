namespace ReputationGrid.Scoring.Tests;

/// <summary>An account as stored by state format 1, which kept the group counters in the minute ring.</summary>
internal static class FormatOneFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>What format 1 stored for <see cref="Account"/>, encoded by the version that wrote it.</summary>
    public const string Encoded =
        "AaCqm6icAQAAAQD4BvmNAQAAAQABAjQ0AAAB5P6jaQAAAAAAARC3u8IBAAAAAAABAAAAAAUBAAAAAAoBAAAAAA8BAAAAARQBAAAAABcAAAwBABgAAQAAABkBAAAAAB4BAAAAACMBAAAAASgBAAAAAC0BAAAAAC8AABkEADAAAQAAADIBAAAAADcBAAAAAQEggwcAAAAAAAAMDAQMAAEAQqAAAAAAAAABDPgAVq2KjoRmcEqjGjbnRYArFhDzoyF7ZC+bPwe3MUS/JnCHFgBaU5Qq7OTXb8x0lwEAAACgqpuonAEAAAsAAAAAgE8SQQAAAAAAAAAAAAAAAAAAWUCgqpuonAEAAAAAAAAAAAAAAIAAAAAAAAAAgAAAAA==";

    /// <summary>An hour of an organiser: messages and forwards, groups created and filled, a reply.</summary>
    public static AccountReputation Account()
    {
        var policy = TestPolicies.WithoutUnansweredRecipients(); // as the version that stored it decided
        var account = new AccountReputation();
        account.Behaviour.RecordRegistration(new Registration(T0.AddYears(-2), NetworkKind.Mobile, false, "44", null, null));
        for (var i = 0; i < 12; i++)
        {
            var at = T0.AddMinutes(i * 5);
            account.CheckSend(at, new OutgoingMessage($"member-{i}", i % 3 > 0, IsForward: i % 4 == 0, Typed: true), policy, out _);
        }

        account.Behaviour.RecordGroupCreated(T0.AddMinutes(7));
        account.Behaviour.RecordGroupMembersAdded(T0.AddMinutes(8), 25, 4);
        account.Behaviour.RecordGroupCreated(T0.AddMinutes(31));
        account.Behaviour.RecordGroupMembersAdded(T0.AddMinutes(32), 12, 1);
        account.Behaviour.RecordReply(T0.AddMinutes(40));
        return account;
    }
}
