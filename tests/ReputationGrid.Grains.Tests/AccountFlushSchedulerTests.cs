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

    private AccountFlushScheduler NewScheduler(int maxConcurrentFlushes = 64) => new(
        Options.Create(new AccountGrainOptions { FlushInterval = Interval, MaxConcurrentFlushes = maxConcurrentFlushes }), _time, NullLogger<AccountFlushScheduler>.Instance);

    /// <summary>Schedules <paramref name="count"/> accounts at once, as after an activation wave.</summary>
    private FakeAccount[] ScheduleAccounts(AccountFlushScheduler scheduler, int count)
    {
        var accounts = Enumerable.Range(0, count).Select(i => new FakeAccount($"account-{i}", this)).ToArray();
        foreach (var account in accounts)
        {
            scheduler.Schedule(account);
        }

        return accounts;
    }

    [Fact]
    public void Accounts_that_change_together_are_written_spread_evenly_over_the_interval_after_their_own()
    {
        using var scheduler = NewScheduler(maxConcurrentFlushes: 10_000);
        var accounts = ScheduleAccounts(scheduler, 1_000);

        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, scheduler.StartDueFlushes()); // never before one interval

        var startedPerTenth = new List<int>();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        startedPerTenth.Add(scheduler.StartDueFlushes()); // the first account's share is 0: due after exactly one interval
        for (var tenth = 0; tenth < 10; tenth++)
        {
            _time.Advance(Interval / 10);
            startedPerTenth.Add(scheduler.StartDueFlushes());
        }

        Assert.Equal(1, startedPerTenth[0]);
        Assert.All(startedPerTenth.Skip(1), started => Assert.InRange(started, 97, 103));
        Assert.All(accounts, account => Assert.Equal(1, account.Flushes)); // all within two intervals
    }

    [Fact]
    public void No_more_than_the_limit_are_in_flight_and_every_due_account_is_written_once()
    {
        using var scheduler = NewScheduler(maxConcurrentFlushes: 3);
        var accounts = ScheduleAccounts(scheduler, 10);

        _time.Advance(2 * Interval);
        Assert.Equal(3, scheduler.StartDueFlushes());
        Assert.Equal(0, scheduler.StartDueFlushes()); // no slot free

        var written = 0;
        while (written < accounts.Length)
        {
            var inFlight = accounts.Where(account => account.InFlight).ToList();
            Assert.InRange(inFlight.Count, 1, 3);
            inFlight[0].Complete();
            written++;
            scheduler.StartDueFlushes();
        }

        Assert.Equal(0, _inFlight);
        Assert.Equal(3, _mostInFlight);
        Assert.All(accounts, account => Assert.Equal(1, account.Flushes));
    }

    [Fact]
    public async Task The_silo_timer_starts_due_flushes_without_being_asked()
    {
        using var scheduler = NewScheduler();
        await scheduler.StartAsync(Cancel);
        var account = new FakeAccount("account", this);
        scheduler.Schedule(account);

        _time.Advance(Interval);
        var started = await _started.Reader.ReadAsync(Cancel);
        started.Complete();

        Assert.Same(account, started);
        await scheduler.StopAsync(Cancel);
    }

    private sealed class FakeAccount(string account, AccountFlushSchedulerTests test) : IDueFlush
    {
        // Continuations run inline, so the scheduler's slot is free again once Complete returns.
        private readonly TaskCompletionSource _written = new();

        public string Account => account;

        public int Flushes { get; private set; }

        public bool InFlight => Flushes > 0 && !_written.Task.IsCompleted;

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
