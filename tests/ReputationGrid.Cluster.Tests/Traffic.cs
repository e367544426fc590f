using System.Net;

namespace ReputationGrid.Cluster.Tests;

/// <summary>
/// Send-time checks over a set of accounts from a few concurrent callers until stopped, as front-ends
/// would keep calling while operators change the cluster. Bounded: it stops at <see cref="StopAsync"/>
/// or after two minutes, whichever comes first.
/// </summary>
public sealed class Traffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));
    private readonly Task _running;
    private int _succeeded;
    private int _failed;

    private Traffic(GatewayClient gateway, IReadOnlyList<string> accounts, int callers) =>
        _running = Task.WhenAll(Enumerable.Range(0, callers).Select(caller => RunAsync(gateway, accounts, caller, callers)));

    public int Succeeded => Volatile.Read(ref _succeeded);

    public int Failed => Volatile.Read(ref _failed);

    public static Traffic Start(GatewayClient gateway, IReadOnlyList<string> accounts, int callers = 4) => new(gateway, accounts, callers);

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
            try
            {
                using var response = await gateway.CheckSendAsync(accounts[i % accounts.Count], _stop.Token);
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref _succeeded : ref _failed);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
