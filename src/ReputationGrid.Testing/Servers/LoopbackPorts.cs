using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ReputationGrid.Testing.Servers;

public static class LoopbackPorts
{
    // Below the kernel's ephemeral range (32768 and up on Linux): a port the kernel picked and this process released
    // can be handed to any outgoing connection (a Redis client's, a silo's) before the server that was given it binds.
    private const int FirstPort = 20_000;
    private const int EndPort = 32_768;

    private static readonly ConcurrentDictionary<int, bool> Given = new(); // never the same port twice in one process

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago, chosen at random below the ephemeral range.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(FirstPort, EndPort);
            if (!Given.TryAdd(port, true))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }

        throw new InvalidOperationException($"No free TCP port on 127.0.0.1 from {FirstPort} to {EndPort - 1}.");
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="exited">Stops the wait early: the server process has exited.</param>
    public static async Task WaitUntilListeningAsync(int port, Func<bool> exited, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (exited())
            {
                throw new InvalidOperationException($"The server for port {port} exited before it listened.");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet: poll again shortly.
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within {timeout}.");
            }
        }
    }
}
