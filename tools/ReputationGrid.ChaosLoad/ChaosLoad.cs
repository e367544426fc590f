using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReputationGrid.ChaosLoad;

/// <summary>What a request of the load was.</summary>
public enum RequestKind
{
    Check,
    Action,
}

/// <summary>One request: when it ended (Unix milliseconds), how long it took, whether it was answered 200.</summary>
public readonly record struct Request(long EndedMs, int TookMs, RequestKind Kind, bool Answered);

/// <summary>An operator action the gateway acknowledged (200), and when: every check sent after it must answer it.</summary>
public readonly record struct Acknowledged(string Action, long AtMs);

/// <summary>
/// Send checks from closed-loop callers over a set of accounts, and operator actions (alternately a ban and a suspension,
/// each on an account of the set not acted on before) at a steady pace, until stopped. Every request is kept, to
/// measure failures, waits and throughput around the faults; every check of an account with an acknowledged action
/// must answer that action.
/// </summary>
public sealed class ChaosLoad(HttpClient http, IReadOnlyList<string> accounts, int callers, TimeSpan actionInterval)
{
    /// <summary>Suspensions end this far after the run, so that the read-back still sees them.</summary>
    private static readonly TimeSpan SuspensionLength = TimeSpan.FromDays(30);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly ConcurrentDictionary<string, Acknowledged> _acknowledged = new();
    private readonly ConcurrentQueue<string> _contradictions = new();

    public IReadOnlyCollection<Request> Requests => _requests;

    public IReadOnlyDictionary<string, Acknowledged> AcknowledgedActions => _acknowledged;

    /// <summary>Checks that answered something else than the acknowledged action of their account, described.</summary>
    public IReadOnlyCollection<string> Contradictions => _contradictions;

    public long NowMs => _startedMs + _clock.ElapsedMilliseconds;

    /// <summary>One check of every account, each retried until answered, so that the load starts on active accounts.</summary>
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = cancellationToken }, async (account, token) =>
        {
            while (true)
            {
                try
                {
                    using var response = await http.PostAsJsonAsync("/v1/decisions/send", CheckBody(account), token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not answered yet: tried again, until the load's own deadline.
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), token);
            }
        });
    }

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, callers).Select(caller => CheckLoopAsync(caller, stop)).Append(ActionLoopAsync(stop)));

    /// <summary>The acknowledged actions whose account's view does not show them now, described.</summary>
    public async Task<List<string>> ReadBackAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var lost = new List<string>();
        foreach (var (account, acknowledged) in _acknowledged)
        {
            var action = await ReadActionAsync(account, patience, cancellationToken);
            if (action != acknowledged.Action)
            {
                lost.Add($"{account}: acknowledged {acknowledged.Action}, reads {action ?? "nothing (no answer)"}");
            }
        }

        return lost;
    }

    private static object CheckBody(string account) => new { account, recipient = "friend", recipientIsContact = true, typed = true };

    private async Task<string?> ReadActionAsync(string account, TimeSpan patience, CancellationToken cancellationToken)
    {
        var until = NowMs + (long)patience.TotalMilliseconds;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"/v1/accounts/{account}", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    return view.RootElement.GetProperty("action").GetString();
                }
            }
            catch (HttpRequestException)
            {
            }

            if (NowMs > until)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private async Task CheckLoopAsync(int caller, CancellationToken stop)
    {
        for (var i = caller; !stop.IsCancellationRequested; i += callers)
        {
            var account = accounts[i % accounts.Count];
            var started = NowMs;
            string? action = null;
            try
            {
                using var response = await http.PostAsJsonAsync("/v1/decisions/send", CheckBody(account), stop);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var decision = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop));
                    action = decision.RootElement.GetProperty("action").GetString();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // A timeout or a refused connection is a failed request, like a 503.
            }

            var ended = NowMs;
            _requests.Enqueue(new Request(ended, (int)(ended - started), RequestKind.Check, action is not null));
            if (action is not null && _acknowledged.TryGetValue(account, out var acknowledged) && acknowledged.AtMs < started && action != acknowledged.Action)
            {
                _contradictions.Enqueue($"{account}: {acknowledged.Action} acknowledged at {acknowledged.AtMs}, a check sent at {started} answered {action}");
            }
        }
    }

    private async Task ActionLoopAsync(CancellationToken stop)
    {
        using var pace = new PeriodicTimer(actionInterval);
        // A stride coprime with the count spreads the acted-on accounts over the set (and so over the silos).
        var stride = Stride(accounts.Count);
        for (var n = 0; n < accounts.Count; n++)
        {
            try
            {
                if (!await pace.WaitForNextTickAsync(stop))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var account = accounts[(int)((long)n * stride % accounts.Count)];
            var ban = n % 2 == 0;
            object body = ban
                ? new { action = "ban", note = "chaos test" }
                : new { action = "suspend", note = "chaos test", until = DateTimeOffset.UtcNow + SuspensionLength };
            var started = NowMs;
            var answered = false;
            try
            {
                using var response = await http.PostAsJsonAsync($"/v1/accounts/{account}/actions", body, stop);
                answered = response.StatusCode == HttpStatusCode.OK;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not acknowledged: it may or may not have been stored, and nothing is asserted of it.
            }

            var ended = NowMs;
            _requests.Enqueue(new Request(ended, (int)(ended - started), RequestKind.Action, answered));
            if (answered)
            {
                _acknowledged[account] = new Acknowledged(ban ? "ban" : "suspend", ended);
            }
        }
    }

    private static int Stride(int count)
    {
        var stride = 7919 % count;
        while (stride == 0 || Gcd(stride, count) != 1)
        {
            stride++;
        }

        return stride;

        static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
    }
}
