using System.Net;
using System.Net.Sockets;

namespace ReputationGrid.Testing.Servers;

public static class LoopbackPorts
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
