using ReputationGrid.Simulator.Running;

namespace ReputationGrid.Simulator.Tests;

public sealed class VirtualClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_account_acts_in_a_later_step_only_after_every_account_reached_it_and_the_target_settled()
    {
        var cancel = TestContext.Current.CancellationToken;
        var clock = new VirtualClock(accounts: 2, parallelism: 2, TimeSpan.FromMinutes(1));
        var log = new List<string>();
        var stepping = clock.RunAsync(
            () =>
            {
                lock (log)
                {
                    log.Add("settle");
                }

                return Task.CompletedTask;
            },
            cancel);

        await Task.WhenAll(PlayAsync("a", 0.5, 2.5), PlayAsync("b", 1.5));
        await stepping;

        Assert.Equal(["settle", "a@0.5", "settle", "b@1.5", "settle", "a@2.5", "settle", "settle"], log);

        async Task PlayAsync(string account, params double[] minutes)
        {
            await clock.EnterAsync(cancel);
            try
            {
                foreach (var minute in minutes)
                {
                    await clock.UntilAsync(T0.AddMinutes(minute), cancel);
                    lock (log)
                    {
                        log.Add($"{account}@{minute}");
                    }
                }

                await clock.UntilAsync(DateTimeOffset.MaxValue, cancel);
            }
            finally
            {
                clock.Leave();
            }
        }
    }
}
