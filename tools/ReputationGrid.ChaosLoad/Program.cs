using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Azure.Data.Tables;
using ReputationGrid.ChaosLoad;

var url = new Option<string>("--url") { Description = "The gateway's HTTP address.", Required = true };
var apiKey = new Option<string?>("--api-key")
{
    Description = "An API key with the operator or admin role, when the gateway requires one. Default: the REPUTATIONGRID_API_KEY environment variable.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("REPUTATIONGRID_API_KEY"),
};
var accountCount = new Option<int>("--accounts") { Description = "Accounts checked in turn.", DefaultValueFactory = _ => 1_000 };
var callers = new Option<int>("--callers") { Description = "Closed-loop callers sending checks.", DefaultValueFactory = _ => 8 };
var actionInterval = new Option<double>("--action-interval") { Description = "Seconds between two operator actions (a ban, then a suspension, ...).", DefaultValueFactory = _ => 0.25 };
var readyFile = new Option<FileInfo?>("--ready-file") { Description = "Created once every account answered a check, when the steady load starts." };
var eventsFile = new Option<FileInfo?>("--events") { Description = "The faults, read at the end: lines of UNIX_MS NAME, as the chaos script writes them." };
var timelineFile = new Option<FileInfo?>("--timeline") { Description = "Where to write the load per second from the start of the steady load (CSV)." };
var maxDuration = new Option<double>("--max-duration") { Description = "Seconds after which the load stops by itself (it stops earlier on SIGTERM or SIGINT).", DefaultValueFactory = _ => 600 };
var longestTarget = new Option<double>("--longest-target") { Description = "Seconds no request may exceed.", DefaultValueFactory = _ => 6 };
var outages = new Option<string[]>("--outage")
{
    Description = "A step during which the fault lasts until the next step (storage stopped, say): its throughput is reported but not held to the recovery target.",
    AllowMultipleArgumentsPerToken = false,
};
var recoveryTarget = new Option<double>("--recovery-target") { Description = "Seconds after each fault within which the throughput must be back.", DefaultValueFactory = _ => 10 };

var root = new RootCommand(
    "The load of infra/chaos.sh: send checks from closed-loop callers and operator bans and suspensions against a gateway "
    + "until stopped; then the figures around each fault (failed requests, longest request, time until every check succeeds, "
    + "time until the throughput is back to 80% of the one in the 5 s before it), checks that contradicted an acknowledged action, "
    + "and a read-back of every acknowledged action. Exits 1 when a target is missed.")
{
    url, apiKey, accountCount, callers, actionInterval, readyFile, eventsFile, timelineFile, maxDuration, longestTarget, recoveryTarget, outages,
};

// SIGTERM and SIGINT stop the load, which then reports and exits with its verdict. The handlers stay registered for the
// life of the process and cancel a source that is never disposed: a handler runs on a thread of its own and can still
// run after its registration is disposed, and a signal that found no registration would end the process with 143 instead
// of the verdict. The parser's own signal handling is off for the same reason (it forces 143 two seconds after a signal).
var terminated = new CancellationTokenSource();
var onSignals = new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT }.Select(signal => PosixSignalRegistration.Create(signal, context =>
{
    context.Cancel = true;
    terminated.Cancel();
})).ToArray();

root.SetAction(async (parsed, cancellationToken) =>
{
    using var http = new HttpClient { BaseAddress = new Uri(parsed.GetValue(url)!), Timeout = TimeSpan.FromSeconds(30) };
    if (parsed.GetValue(apiKey) is { Length: > 0 } key)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    // Fresh account ids each run, so that the state of an earlier run cannot pass for this one's.
    var run = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var accounts = Enumerable.Range(0, parsed.GetValue(accountCount)).Select(i => $"chaos-{run}-{i}").ToArray();
    var load = new ChaosLoad(http, accounts, parsed.GetValue(callers), TimeSpan.FromSeconds(parsed.GetValue(actionInterval)));

    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, terminated.Token);
    stop.CancelAfter(TimeSpan.FromSeconds(parsed.GetValue(maxDuration)));

    Console.WriteLine($"Warming {accounts.Length} accounts.");
    await load.WarmAsync(stop.Token);
    if (parsed.GetValue(readyFile) is { } ready)
    {
        await File.WriteAllTextAsync(ready.FullName, load.NowMs.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
    }

    Console.WriteLine("Steady load running.");
    var steadyFrom = load.NowMs;
    await load.RunAsync(stop.Token);
    var endMs = load.NowMs;

    var events = parsed.GetValue(eventsFile) is { Exists: true } file ? FaultEvent.Parse(await File.ReadAllLinesAsync(file.FullName, CancellationToken.None)) : [];
    var requests = load.Requests;
    var phases = Figures.Phases(requests, events, endMs, TimeSpan.FromSeconds(5), fraction: 0.8);
    var longestAllowed = (int)(parsed.GetValue(longestTarget) * 1000);
    var recoveryAllowed = (long)(parsed.GetValue(recoveryTarget) * 1000);

    if (parsed.GetValue(timelineFile) is { } timeline)
    {
        await File.WriteAllLinesAsync(timeline.FullName, Figures.Timeline(requests, steadyFrom, endMs), CancellationToken.None);
    }

    Console.WriteLine("event                     | at (s) | before (/s) | checks | failed | actions | failed | longest request | all checks succeed after | throughput >= 80% after");
    foreach (var phase in phases)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase.Event.Name,-25} | {(phase.Event.AtMs - steadyFrom) / 1000.0,6:F1} | {phase.BaselinePerSecond,11:F0} | {phase.Checks,6} | {phase.FailedChecks,6} | {phase.Actions,7} | {phase.FailedActions,6} | {phase.LongestMs / 1000.0,13:F2} s | {Seconds(phase.AllChecksSucceedAfterMs),22} | {Seconds(phase.ThroughputBackAfterMs),21}"));
    }

    var lost = await load.ReadBackAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
    var checks = requests.Count(r => r.Kind == RequestKind.Check);
    var failed = requests.Count(r => !r.Answered);
    var longest = requests.Count > 0 ? requests.Max(r => r.TookMs) : 0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Whole run: {checks} checks and {requests.Count - checks} operator actions, {failed} requests failed, the longest request {longest / 1000.0:F2} s."));
    Console.WriteLine($"Acknowledged actions: {load.AcknowledgedActions.Count} (bans and suspensions), {lost.Count} lost on read-back; checks contradicting one: {load.Contradictions.Count}.");
    foreach (var line in lost.Concat(load.Contradictions).Take(20))
    {
        Console.WriteLine($"  {line}");
    }

    var missed = new List<string>();
    if (longest > longestAllowed)
    {
        missed.Add($"longest request {longest} ms > {longestAllowed} ms");
    }

    var lasting = parsed.GetValue(outages) ?? [];
    foreach (var phase in phases.Where(p => !lasting.Contains(p.Event.Name) && (p.ThroughputBackAfterMs is null || p.ThroughputBackAfterMs > recoveryAllowed)))
    {
        missed.Add($"throughput after {phase.Event.Name} back after {Seconds(phase.ThroughputBackAfterMs)}");
    }

    if (lost.Count > 0 || load.Contradictions.Count > 0)
    {
        missed.Add($"{lost.Count} acknowledged actions lost, {load.Contradictions.Count} checks contradicting one");
    }

    Console.WriteLine(missed.Count == 0 ? "Targets met." : $"Targets missed: {string.Join("; ", missed)}.");
    return missed.Count == 0 ? 0 : 1;

    static string Seconds(long? ms) => ms is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value / 1000.0:F1} s") : "never";
});

var connection = new Option<string>("--connection") { Description = "The table service's connection string (Azurite's, say).", Required = true };
var writers = new Option<int>("--writers") { Description = "Writers, each with one write in flight at a time.", DefaultValueFactory = _ => 1_000 };
var entityBytes = new Option<int>("--entity-bytes") { Description = "The size of each written entity's binary property.", DefaultValueFactory = _ => 4_096 };
var floodDuration = new Option<double>("--duration") { Description = "Seconds after which the flood stops by itself (it stops earlier on SIGTERM or SIGINT).", DefaultValueFactory = _ => 60 };
var flood = new Command(
    "flood-storage",
    "Saturate a table service: writers upsert entities of their own into the table ChaosFlood, one write after another each, "
    + "until stopped; then print the writes stored and failed.")
{
    connection, writers, entityBytes, floodDuration,
};
flood.SetAction(async (parsed, cancellationToken) =>
{
    // No retries and a long timeout: each writer keeps one write waiting on the service, whatever it answers.
    var options = new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(30) } };
    var table = new TableServiceClient(parsed.GetValue(connection), options).GetTableClient("ChaosFlood");
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, terminated.Token);
    stop.CancelAfter(TimeSpan.FromSeconds(parsed.GetValue(floodDuration)));
    var figures = await new StorageFlood(table, parsed.GetValue(writers), parsed.GetValue(entityBytes)).RunAsync(stop.Token);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Storage flood: {figures.Written} writes stored in {figures.Elapsed.TotalSeconds:F1} s ({figures.WrittenPerSecond:F0}/s), {figures.Failed} failed."));
    return 0;
});
root.Subcommands.Add(flood);

var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
GC.KeepAlive(onSignals); // a collected registration unregisters its handler
return exitCode;
