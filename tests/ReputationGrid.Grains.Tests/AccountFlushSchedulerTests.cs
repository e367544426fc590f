using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReputationGrid.Grains.Accounts;

namespace ReputationGrid.Grains.Tests;

/// <summary>The silo's flush scheduler on its own, with accounts whose flushes the test completes one by one.</summary>
public sealed class AccountFlushSchedulerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly Channel<FakeAccount> _started = Channel.CreateUnbounded<FakeAccount>();
    private int _inFlight;
    private int _mostInFlight;

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Due_accounts_are_flushed_no_more_than_the_limit_at_a_time_and_all_of_them_in_the_end()
    {
        using var scheduler = new AccountFlushScheduler(
            Options.Create(new AccountGrainOptions { FlushInterval = Interval, MaxConcurrentFlushes = 3 }), _time, NullLogger<AccountFlushScheduler>.Instance);
        await scheduler.StartAsync(Cancel);
        var accounts = Enumerable.Range(0, 10).Select(i => new FakeAccount($"account-{i}", this)).ToArray();
        foreach (var account in accounts)
        {
            scheduler.Schedule(account);
        }

        _time.Advance(Interval);
        var flushed = new List<string>();
        while (flushed.Count < accounts.Length)
        {
            var next = await _started.Reader.ReadAsync(Cancel);
            flushed.Add(next.Account);
            next.Complete();
        }

        await scheduler.StopAsync(Cancel);
        Assert.Equal(accounts.Select(a => a.Account), flushed); // in the order they fell due
        Assert.InRange(_mostInFlight, 1, 3);
        Assert.All(accounts, account => Assert.Equal(1, account.Flushes));
    }

    [Fact]
    public async Task Nothing_is_flushed_before_the_interval_has_passed()
    {
        using var scheduler = new AccountFlushScheduler(
            Options.Create(new AccountGrainOptions { FlushInterval = Interval }), _time, NullLogger<AccountFlushScheduler>.Instance);
        await scheduler.StartAsync(Cancel);
        var early = new FakeAccount("early", this);
        var late = new FakeAccount("late", this);
        scheduler.Schedule(early);
        _time.Advance(Interval / 2);
        scheduler.Schedule(late);

        _time.Advance(Interval / 2);
        var first = await _started.Reader.ReadAsync(Cancel);
        first.Complete();
        Assert.Same(early, first);

        _time.Advance(Interval / 2);
        var second = await _started.Reader.ReadAsync(Cancel);
        second.Complete();
        Assert.Same(late, second);
        await scheduler.StopAsync(Cancel);
    }

    private sealed class FakeAccount(string account, AccountFlushSchedulerTests test) : IDueFlush
    {
        private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Account => account;

        public int Flushes { get; private set; }

        public Task FlushWhenDue()
        {
            Flushes++;
            var inFlight = Interlocked.Increment(ref test._inFlight);
            InterlockedMax(ref test._mostInFlight, inFlight);
            test._started.Writer.TryWrite(this);
            return _written.Task;
        }

        public void Complete()
        {
            Interlocked.Decrement(ref test._inFlight);
            _written.SetResult();
        }

        private static void InterlockedMax(ref int target, int value)
        {
            var current = Volatile.Read(ref target);
            while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
            {
                current = seen;
            }
        }
    }
}
