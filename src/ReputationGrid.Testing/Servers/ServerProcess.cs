using System.Diagnostics;
using System.Net;

namespace ReputationGrid.Testing.Servers;

/// <summary>
/// A server started as a child process for a test. It keeps the last lines the server wrote, so that a
/// failure can say why the server did not come up or died.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines of the server's output and errors.</summary>
    public string Output
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join(Environment.NewLine, _lastLines);
            }
        }
    }

    public static ServerProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{start.FileName} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until the server accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public async Task WaitUntilListeningAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await LoopbackPorts.WaitUntilListeningAsync(port, () => HasExited, timeout, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException($"{e.Message} Its last output:{Environment.NewLine}{Output}", e);
        }
    }

    /// <summary>
    /// Polls the readiness endpoint (<c>/healthz</c>) of a ReputationGrid deployable at <paramref name="baseAddress"/>
    /// until it answers 200: listening is not enough, a gateway is ready once its cluster client is.
    /// </summary>
    public async Task WaitUntilReadyAsync(string name, Uri baseAddress, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{name} exited while starting:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"{name} was not ready within {timeout}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Asks the server to stop with <paramref name="signal"/> and waits; kills it after <paramref name="grace"/>.</summary>
    public Task StopAsync(StopSignal signal, TimeSpan grace) =>
        HasExited ? Task.CompletedTask : ProcessSignals.StopAsync(_process, signal, grace);

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
