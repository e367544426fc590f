namespace ReputationGrid.ChaosLoad.Tests;

public sealed class FaultEventTests
{
    [Fact]
    public void Lines_of_unix_milliseconds_and_a_name_are_read_in_time_order_and_other_lines_are_ignored()
    {
        var events = FaultEvent.Parse(
        [
            "1700000005000 storage stopped",
            "",
            "not-a-time silo-1 killed",
            "1700000001000 silo-1 killed",
            "1700000009000",
            "1700000003000   silo-1 started again  ",
        ]);

        Assert.Equal(
            [new FaultEvent(1700000001000, "silo-1 killed"), new FaultEvent(1700000003000, "silo-1 started again"), new FaultEvent(1700000005000, "storage stopped")],
            events);
    }
}
