using System.Diagnostics;
using System.Net;

namespace ReputationGrid.Cluster.Tests;

/// <summary>
/// Send-time checks over a set of accounts from a few concurrent callers until stopped, as front-ends
/// would keep calling while operators change the cluster. Bounded: it stops at <see cref="StopAsync"/>
/// or after two minutes, whichever comes first. Every request's end and duration is kept, to measure
/// the longest wait and the throughput around an event.
/// </summary>
public sealed class Traffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));
    private readonly Task _running;
    private readonly Lock _lock = new();
    private readonly List<Request> _requests = [];
    private int _succeeded;
    private int _failed;

    private Traffic(GatewayClient gateway, IReadOnlyList<string> accounts, int callers) =>
        _running = Task.WhenAll(Enumerable.Range(0, callers).Select(caller => RunAsync(gateway, accounts, caller, callers)));

    /// <summary>One request: when it ended (a <see cref="Stopwatch"/> timestamp), how long it took, whether it was answered 200.</summary>
    public readonly record struct Request(long Ended, TimeSpan Took, bool Answered);

    public int Succeeded => Volatile.Read(ref _succeeded);

    public int Failed => Volatile.Read(ref _failed);

    public static Traffic Start(GatewayClient gateway, IReadOnlyList<string> accounts, int callers = 4) => new(gateway, accounts, callers);

    /// <summary>The requests so far.</summary>
    public IReadOnlyList<Request> Requests()
    {
        lock (_lock)
        {
            return [.. _requests];
        }
    }

    /// <summary>The longest request among those that ended after <paramref name="since"/>, failed or not.</summary>
    public TimeSpan LongestSince(long since) => Requests().Where(r => r.Ended >= since).Select(r => r.Took).DefaultIfEmpty().Max();

    /// <summary>
    /// How long after <paramref name="since"/> a second of traffic first answered at least <paramref name="fraction"/> of
    /// the answers per second of the <paramref name="baseline"/> before it (the end of that second); null if none did.
    /// </summary>
    public TimeSpan? TimeToThroughput(long since, double fraction, TimeSpan baseline)
    {
        var answered = Requests().Where(r => r.Answered).Select(r => r.Ended).Order().ToArray();
        var frequency = Stopwatch.Frequency;
        double Count(long from, long to) => answered.Count(t => t >= from && t < to);
        var perSecondBefore = Count(since - (long)(baseline.TotalSeconds * frequency), since) / baseline.TotalSeconds;
        var step = frequency / 10;
        for (var start = since; start + frequency <= answered.LastOrDefault(); start += step)
        {
            if (Count(start, start + frequency) >= fraction * perSecondBefore)
            {
                return Stopwatch.GetElapsedTime(since, start + frequency);
            }
        }

        return null;
    }

    /// <summary>Completes once <paramref name="count"/> requests have been answered (or the traffic has stopped).</summary>
    public async Task WaitForAnswersAsync(int count)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (Succeeded < count && !_running.IsCompleted && await poll.WaitForNextTickAsync(_stop.Token))
        {
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(GatewayClient gateway, IReadOnlyList<string> accounts, int caller, int callers)
    {
        for (var i = caller; !_stop.IsCancellationRequested; i += callers)
        {
            var started = Stopwatch.GetTimestamp();
            bool answered;
            try
            {
                using var response = await gateway.CheckSendAsync(accounts[i % accounts.Count], _stop.Token);
                answered = response.StatusCode == HttpStatusCode.OK;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                answered = false;
            }

            Interlocked.Increment(ref answered ? ref _succeeded : ref _failed);
            var ended = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                _requests.Add(new Request(ended, Stopwatch.GetElapsedTime(started, ended), answered));
            }
        }
    }
}
