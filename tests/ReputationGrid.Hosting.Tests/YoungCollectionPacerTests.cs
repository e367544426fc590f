using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReputationGrid.Hosting.GarbageCollection;
using ReputationGrid.Hosting;
using ReputationGrid.Grains.Telemetry;

namespace ReputationGrid.Hosting.Tests;

/// <summary>The silo's pacing of young collections, against a young generation the test counts.</summary>
public sealed class YoungCollectionPacerTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private const long Megabyte = YoungCollectionPacer.MinAllocatedBytes;

    private readonly SemaphoreSlim _intervals = new(0); // each release lets one interval pass
    private readonly CountedYoungGeneration _youngGeneration = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private YoungCollectionPacer NewPacer(TimeSpan interval) => new(
        Options.Create(new YoungCollectionOptions { Interval = interval }),
        _youngGeneration,
        new ReputationMetrics(_services.GetRequiredService<IMeterFactory>()),
        WaitForInterval);

    private bool WaitForInterval(CancellationToken stopping)
    {
        try
        {
            _intervals.Wait(stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        _intervals.Dispose();
    }

    [Fact]
    public void Collects_when_the_runtime_has_not_since_the_last_check_and_leaves_it_when_it_has()
    {
        using var pacer = NewPacer(Interval);

        _youngGeneration.Allocate(Megabyte);
        Assert.True(pacer.CollectIfDue());
        Assert.Equal(1, _youngGeneration.Requested);
        _youngGeneration.Allocate(Megabyte);
        Assert.True(pacer.CollectIfDue()); // its own collection does not count as the runtime's
        Assert.Equal(2, _youngGeneration.Requested);

        _youngGeneration.Allocate(Megabyte);
        _youngGeneration.CollectOnItsOwn();
        Assert.False(pacer.CollectIfDue());
        _youngGeneration.Allocate(Megabyte);
        Assert.True(pacer.CollectIfDue());
        Assert.Equal(3, _youngGeneration.Requested);
    }

    [Fact]
    public void Leaves_an_idle_process_alone_and_collects_a_quiet_one_once_a_megabyte()
    {
        using var pacer = NewPacer(Interval);

        Assert.False(pacer.CollectIfDue());
        _youngGeneration.Allocate(Megabyte / 2);
        Assert.False(pacer.CollectIfDue());
        _youngGeneration.Allocate(Megabyte / 2 - 1);
        Assert.False(pacer.CollectIfDue());
        _youngGeneration.Allocate(1);
        Assert.True(pacer.CollectIfDue()); // a megabyte since the last collection, over several checks
        Assert.False(pacer.CollectIfDue());
        Assert.Equal(1, _youngGeneration.Requested);
    }

    [Fact]
    public async Task Each_interval_without_a_collection_gets_one_on_the_pacers_own_thread_and_is_counted()
    {
        using var listener = new MeterListener();
        long paced = 0;
        listener.InstrumentPublished = (instrument, meters) =>
        {
            // This test's meter only: silos of other tests in the process pace too.
            if (instrument.Meter.Scope == _services.GetRequiredService<IMeterFactory>() && instrument.Name == "reputationgrid.gc.paced_collections")
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref paced, value));
        listener.Start();

        using var pacer = NewPacer(Interval);
        await pacer.StartAsync(Cancel);
        await _youngGeneration.ExpectAsync(Cancel, Check); // the count when made

        _youngGeneration.Allocate(Megabyte);
        _intervals.Release();
        await _youngGeneration.ExpectAsync(Cancel, Check, Collect, Check);
        _youngGeneration.Allocate(Megabyte);
        _youngGeneration.CollectOnItsOwn();
        _intervals.Release();
        await _youngGeneration.ExpectAsync(Cancel, Check);
        _youngGeneration.Allocate(Megabyte);
        _intervals.Release();
        await _youngGeneration.ExpectAsync(Cancel, Check, Collect, Check);

        await pacer.StopAsync(Cancel);
        Assert.Equal(2, _youngGeneration.Requested);
        Assert.Equal(2, Interlocked.Read(ref paced));
        Assert.False(_youngGeneration.CollectedOnThreadPool); // a saturated pool could hold its checks back

        _intervals.Release();
        Assert.Equal(1, _intervals.CurrentCount); // stopped: nothing waits for intervals any more
    }

    [Fact]
    public async Task A_zero_interval_turns_the_pacing_off()
    {
        using var pacer = NewPacer(TimeSpan.Zero);
        await pacer.StartAsync(Cancel);

        _youngGeneration.Allocate(10 * Megabyte);
        _intervals.Release(3);
        await pacer.StopAsync(Cancel);
        Assert.Equal(3, _intervals.CurrentCount); // no thread waited for an interval
        Assert.Equal(0, _youngGeneration.Requested);
    }

    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("00:00:00.005", true)]
    [InlineData("00:00:00.020", true)]
    [InlineData("00:00:10", true)]
    [InlineData("00:00:00.004", false)]
    [InlineData("00:00:10.001", false)]
    [InlineData("-00:00:00.020", false)]
    public void Intervals_are_zero_or_from_5_ms_to_10_s(string interval, bool valid)
    {
        var result = new YoungCollectionOptionsValidator().Validate(null, new YoungCollectionOptions { Interval = TimeSpan.Parse(interval) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("YoungCollections:Interval", result.FailureMessage);
        }
    }

    private const string Check = "check", Collect = "collect";

    [Fact]
    public void A_silo_paces_every_20_ms_unless_configured_and_refuses_a_wrong_interval()
    {
        Assert.Equal(Interval, SiloOptions([]).Interval);
        Assert.Equal(TimeSpan.Zero, SiloOptions(new() { ["YoungCollections:Interval"] = "00:00:00" }).Interval);
        var error = Assert.Throws<OptionsValidationException>(() => SiloOptions(new() { ["YoungCollections:Interval"] = "00:00:00.001" }));
        Assert.Equal(["YoungCollections:Interval must be zero (off) or from 5 ms to 10 s; it is 00:00:00.0010000."], error.Failures);

        static YoungCollectionOptions SiloOptions(Dictionary<string, string?> settings)
        {
            var silo = new SiloBuilderStub();
            silo.AddReputationGrid(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            Assert.Contains(silo.Services, service => service.ImplementationType == typeof(YoungCollectionPacer));
            using var services = silo.Services.BuildServiceProvider();
            return services.GetRequiredService<IOptions<YoungCollectionOptions>>().Value;
        }
    }

    /// <summary>A young generation that counts the collections asked for and the bytes the test allocates, and reports each check and collection in turn.</summary>
    private sealed class CountedYoungGeneration : IYoungGeneration
    {
        private readonly Channel<string> _calls = Channel.CreateUnbounded<string>();
        private int _collections;
        private int _requested;
        private long _allocated;
        private volatile bool _collectedOnThreadPool;

        public int Requested => Volatile.Read(ref _requested);

        public bool CollectedOnThreadPool => _collectedOnThreadPool;

        public int Collections
        {
            get
            {
                _calls.Writer.TryWrite(Check);
                return Volatile.Read(ref _collections);
            }
        }

        public long AllocatedBytes => Interlocked.Read(ref _allocated);

        public void Allocate(long bytes) => Interlocked.Add(ref _allocated, bytes);

        void IYoungGeneration.Collect()
        {
            Interlocked.Increment(ref _collections);
            Interlocked.Increment(ref _requested);
            _collectedOnThreadPool |= Thread.CurrentThread.IsThreadPoolThread;
            _calls.Writer.TryWrite(Collect);
        }

        public void CollectOnItsOwn() => Interlocked.Increment(ref _collections);

        /// <summary>Waits for the pacer's next calls and checks they are <paramref name="calls"/>, in order.</summary>
        public async Task ExpectAsync(CancellationToken cancellationToken, params string[] calls)
        {
            foreach (var call in calls)
            {
                Assert.Equal(call, await _calls.Reader.ReadAsync(cancellationToken));
            }
        }
    }
}
