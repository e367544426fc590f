using ReputationGrid.Grains.Accounts;

namespace ReputationGrid.Grains.Tests;

/// <summary>The lowest score per quarter hour an account's activation keeps for the console's chart.</summary>
public sealed class ScoreSamplesTests
{
    private static readonly DateTimeOffset Quarter = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_quarter_hour_keeps_its_lowest_score_oldest_first()
    {
        var samples = new ScoreSamples();
        samples.Record(Quarter.AddMinutes(1), 90);
        samples.Record(Quarter.AddMinutes(14), 40.7);
        samples.Record(Quarter.AddMinutes(5), 75);
        samples.Record(Quarter.AddMinutes(16), 100);

        Assert.Equal(
            [(Quarter, 40.0), (Quarter.AddMinutes(15), 100.0)],
            samples.Read(Quarter.AddMinutes(20)).Select(s => (s.At, s.Score)));
    }

    [Fact]
    public void A_day_later_the_old_quarter_hours_are_gone_and_older_checks_are_ignored()
    {
        var samples = new ScoreSamples();
        samples.Record(Quarter, 10);
        samples.Record(Quarter.AddHours(25), 60);
        samples.Record(Quarter.AddMinutes(30), 5); // more than a day before the newest check

        Assert.Equal([(Quarter.AddHours(25), 60.0)], samples.Read(Quarter.AddHours(25)).Select(s => (s.At, s.Score)));
    }

    [Fact]
    public void Nothing_is_read_before_the_first_check_or_after_a_day_without_one()
    {
        var samples = new ScoreSamples();
        Assert.Empty(samples.Read(Quarter));

        samples.Record(Quarter, 50);
        Assert.Single(samples.Read(Quarter.AddHours(23)));
        Assert.Empty(samples.Read(Quarter.AddHours(24)));
    }
}
