using System.Diagnostics;
using System.Net.Http.Json;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.LoadDriver;

/// <summary>Starting copies of the driver and running bounded child processes (wrk, load processes) to their end.</summary>
internal static class ChildProcesses
{
    /// <summary>A copy of this driver, from its own build output, with <paramref name="args"/>.</summary>
    public static ProcessStartInfo Driver(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "ReputationGrid.LoadDriver.dll") } };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>
    /// Runs a child process that ends by itself and returns what it printed; kills it when it runs past
    /// <paramref name="limit"/> or the driver is cancelled, so that no child outlives its run. Its standard input is
    /// the driver's to hold (<see cref="DriverWatch"/>).
    /// </summary>
    public static async Task<string> RunToEndAsync(ProcessStartInfo start, string name, TimeSpan limit, CancellationToken cancellationToken)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run '{start.FileName}' for {name} ({e.Message}).", e);
        }

        using (process)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(limit);
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"{name} did not finish within {limit}: {await errors}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode}: {await errors}{await output}");
            }

            return await output;
        }
    }
}

/// <summary>
/// A server process of the benchmark, a copy of the driver (<see cref="ServerMode"/>), and its control address. Its
/// standard input stays open for as long as the driver holds it: if the driver dies, the server ends itself
/// (<see cref="DriverWatch"/>); stopping it stops its redis-server too.
/// </summary>
internal sealed class BenchmarkServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly HttpClient _control;

    private BenchmarkServer(string name, ServerProcess process, Uri control)
    {
        (Name, _process) = (name, process);
        _control = new HttpClient { BaseAddress = control, Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Name { get; }

    public Uri Control => _control.BaseAddress!;

    /// <summary>
    /// Starts a server of <paramref name="kind"/> with <paramref name="args"/>, and a redis-server of its own when
    /// <paramref name="redisServer"/> names one; it is ready once <see cref="WaitUntilReadyAsync"/> returns.
    /// </summary>
    public static BenchmarkServer Start(string name, string kind, string? redisServer, IEnumerable<string> args)
    {
        var control = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        var start = ChildProcesses.Driver(["--serve", kind, control.ToString(), redisServer ?? "", .. args]);
        start.RedirectStandardInput = true;
        return new BenchmarkServer(name, ServerProcess.Start(start), control);
    }

    public Task WaitUntilReadyAsync() => _process.WaitUntilReadyAsync(Name, Control, TimeSpan.FromMinutes(2));

    public Task<GcSnapshot> GcAsync(CancellationToken cancellationToken) =>
        CallAsync(() => _control.GetFromJsonAsync("/gc", LoadJson.Default.GcSnapshot, cancellationToken));

    public Task<MemorySample> MemoryAsync(CancellationToken cancellationToken) =>
        CallAsync(() => _control.GetFromJsonAsync("/memory", LoadJson.Default.MemorySample, cancellationToken));

    /// <summary>Activates a grain of the run's target for every account of its traffic, in the server's silo.</summary>
    public Task<Activation> ActivateAsync(LoadRequest run, CancellationToken cancellationToken) =>
        CallAsync(() => PostAsync("/activate", run, LoadJson.Default.Activation, cancellationToken));

    /// <summary>Makes a run with the load loop inside the server's silo process.</summary>
    public async Task<RunResult> RunAsync(LoadRequest run, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(run.TimeLimit + TimeSpan.FromSeconds(30));
        try
        {
            return await CallAsync(() => PostAsync("/run", run, LoadJson.Default.RunResult, deadline.Token));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name}'s run did not finish within {run.TimeLimit}. Its last output:{Environment.NewLine}{_process.Output}", e);
        }
    }

    /// <summary>Asks the server to stop, so that it stops its own redis-server first; kills it if it does not.</summary>
    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await _process.StopAsync(StopSignal.Terminate, TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
    }

    private async Task<T> PostAsync<T>(string route, LoadRequest run, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> answer, CancellationToken cancellationToken)
    {
        using var response = await _control.PostAsJsonAsync(route, run, LoadJson.Default.LoadRequest, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{route} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync(answer, cancellationToken))!;
    }

    private async Task<T> CallAsync<T>(Func<Task<T?>> call)
    {
        try
        {
            return (await call())!;
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"{Name} failed ({e.Message}). Its last output:{Environment.NewLine}{_process.Output}", e);
        }
    }
}
