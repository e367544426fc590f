using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;

namespace ReputationGrid.Api.Tests;

/// <summary>
/// The embedded host with few request slots (64 served, 64 waiting) and a minimum body rate of 50 bytes a second, which
/// the slow clients below stay above, so that Kestrel never cuts them off and only the gateway's own design protects it.
/// </summary>
public sealed class FewSlotsFixture : GatewayFixture
{
    protected override IEnumerable<string> ExtraArguments() =>
    [
        "--Gateway:MaxConcurrentRequests", "64", "--Gateway:MaxQueuedRequests", "64",
        "--Gateway:MinRequestBodyBytesPerSecond", "50",
    ];
}

/// <summary>Thousands of connections trickling their bodies do not stop a well-behaved client's checks.</summary>
public sealed class SlowBodyFloodTests(FewSlotsFixture gateway) : IClassFixture<FewSlotsFixture>
{
    private const int SlowClients = 4_500;
    private const int Checks = 100;
    private const int TrickleBytes = 100; // a second, per connection: twice the minimum rate

    [Fact]
    public async Task Checks_are_answered_while_thousands_of_connections_trickle_their_bodies()
    {
        var cancel = TestContext.Current.CancellationToken;
        var address = gateway.Http.BaseAddress!;
        var slow = new List<Socket>(SlowClients);
        using var stopTrickling = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        try
        {
            var header = Encoding.ASCII.GetBytes(
                $"POST /v1/events HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{{\"events\": [");
            // Trickling starts with the first connection, so that none falls below the minimum rate while others connect.
            var trickling = TrickleAsync(slow, stopTrickling.Token);
            using var connecting = new SemaphoreSlim(128);
            await Task.WhenAll(Enumerable.Range(0, SlowClients).Select(async _ =>
            {
                await connecting.WaitAsync(cancel);
                try
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(IPAddress.Loopback, address.Port, cancel);
                    await socket.SendAsync(header, cancel);
                    lock (slow)
                    {
                        slow.Add(socket);
                    }
                }
                finally
                {
                    connecting.Release();
                }
            }));

            var answered = 0;
            var elapsed = Stopwatch.StartNew();
            for (var i = 0; i < Checks; i++)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    using var response = await gateway.Http.PostAsJsonAsync(
                        "/v1/decisions/send", new { account = $"well-behaved-{i}", recipient = "friend", recipientIsContact = true }, timeout.Token);
                    answered += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    // not answered within 5 s
                }

                // Spread the checks over several seconds, past Kestrel's grace period for slow bodies.
                await Task.Delay(TimeSpan.FromMilliseconds(60), cancel);
            }

            var stillOpen = slow.Count(socket => socket.Connected && !(socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0));
            await stopTrickling.CancelAsync();
            await trickling;

            Assert.True(answered >= Checks * 9 / 10, $"{answered} of {Checks} checks answered in {elapsed.Elapsed.TotalSeconds:0.0} s");
            Assert.True(stillOpen >= SlowClients * 9 / 10, $"{stillOpen} of {SlowClients} slow connections still open: the flood did not last");
        }
        finally
        {
            foreach (var socket in slow)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Sends every slow connection a little more of its body each second until stopped.</summary>
    private static async Task TrickleAsync(List<Socket> sockets, CancellationToken stop)
    {
        var chunk = Encoding.ASCII.GetBytes(new string(' ', TrickleBytes));
        using var second = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await second.WaitForNextTickAsync(stop))
            {
                Socket[] open;
                lock (sockets)
                {
                    open = [.. sockets];
                }

                foreach (var socket in open)
                {
                    try
                    {
                        await socket.SendAsync(chunk, SocketFlags.None, stop);
                    }
                    catch (SocketException)
                    {
                        // cut off by the server: counted at the end
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
