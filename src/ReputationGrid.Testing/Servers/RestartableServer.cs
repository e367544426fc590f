using System.Diagnostics;

namespace ReputationGrid.Testing.Servers;

/// <summary>
/// A storage server a test can stop, to cause an outage, and start again on the same loopback port with what it
/// had stored, which it keeps in a throwaway folder. Dispose it to stop it and delete the data.
/// </summary>
public abstract class RestartableServer : IAsyncDisposable
{
    private ServerProcess? _process;

    protected RestartableServer(string name) => DataFolder = Directory.CreateTempSubdirectory($"{name}-").FullName;

    public int Port { get; } = LoopbackPorts.Free();

    /// <summary>Where the server keeps its data.</summary>
    protected string DataFolder { get; }

    /// <summary>The signal on which the server saves what it stored before it exits.</summary>
    protected abstract StopSignal SavingStopSignal { get; }

    /// <summary>How long it may take to listen.</summary>
    protected abstract TimeSpan StartTimeout { get; }

    /// <summary>How to install it, for the error when it cannot be started.</summary>
    protected abstract string InstallHint { get; }

    /// <summary>How to start it on <see cref="Port"/> with <see cref="DataFolder"/>.</summary>
    protected abstract ProcessStartInfo StartInfo();

    /// <summary>Starts the server; after <see cref="StopAsync"/>, again on the same port and data.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException($"{GetType().Name} is already running.");
        }

        var start = StartInfo();
        try
        {
            _process = ServerProcess.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{start.FileName} could not be started ({e.Message}): {InstallHint}", e);
        }

        await _process.WaitUntilListeningAsync(Port, StartTimeout, cancellationToken);
    }

    /// <summary>Stops the server, saving what it stored: clients see an outage.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        await process.StopAsync(SavingStopSignal, TimeSpan.FromSeconds(30));
        await process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(DataFolder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
