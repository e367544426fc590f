using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ReputationGrid.Testing.Servers;

/// <summary>The POSIX signals that ask a process to stop.</summary>
public enum StopSignal
{
    /// <summary>SIGINT, as Ctrl+C sends.</summary>
    Interrupt = 2,

    /// <summary>SIGTERM, as an orchestrator sends when it stops a process.</summary>
    Terminate = 15,
}

public static class ProcessSignals
{
    /// <summary>
    /// Sends <paramref name="signal"/> and waits for the process to exit; kills it if it is still
    /// running after <paramref name="grace"/>.
    /// </summary>
    public static async Task StopAsync(Process process, StopSignal signal, TimeSpan grace)
    {
        if (kill(process.Id, (int)signal) != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"Could not signal process {process.Id}: error {Marshal.GetLastPInvokeError()}.");
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
