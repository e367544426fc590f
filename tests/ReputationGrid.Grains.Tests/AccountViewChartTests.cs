using Microsoft.Extensions.Time.Testing;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>What an account's view adds for the console: each signal's points, its hourly activity and its sampled scores.</summary>
public sealed class AccountViewChartTests(AccountViewChartTests.Cluster cluster) : IClassFixture<AccountViewChartTests.Cluster>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public sealed class Cluster : ReputationGridClusterFixture
    {
        protected override void Configure(ReputationGridClusterOptions options) => (options.Time, options.Silos) = (new FakeTimeProvider(Now.AddSeconds(10)), 1);
    }

    [Fact]
    public async Task A_bursting_account_shows_its_checks_per_hour_its_lowest_score_and_the_points_behind_it()
    {
        var grain = cluster.Client.GetGrain<IAccountGrain>("chart-burster");
        await grain.RecordAsync([new AccountRegistered(Now.AddMinutes(-5), NetworkKind.Voip)]);
        var lowest = 100.0;
        for (var i = 0; i < 40; i++)
        {
            lowest = Math.Min(lowest, (await grain.CheckSendAsync(Now.AddMilliseconds(100 * i), new MessageDetails($"stranger-{i}", false))).Score);
        }

        var view = await grain.GetViewAsync();

        Assert.Equal(24, view.Hours.Length);
        Assert.Equal((Now, 40L), (view.Hours[^1].Hour, view.Hours[^1].Attempts));
        Assert.Equal(40, view.Hours.Sum(h => h.Attempts));
        Assert.Equal([(Now, Math.Floor(lowest))], view.Scores.Select(s => (s.At, s.Score)));
        Assert.Equal(SignalRegistry.Count, view.Signals.Length);
        Assert.True(view.Signals.Single(s => s.Signal == ReasonCode.VoipRegistration).Points > 0);
        Assert.True(view.Signals.Sum(s => s.Points) > 0);
    }
}
