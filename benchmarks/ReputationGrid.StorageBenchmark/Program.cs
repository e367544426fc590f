using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;
using Orleans.Configuration;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Testing;
using ReputationGrid.Testing.Servers;

// Account storage on Azure Table storage, against an Azurite this program starts on loopback and stops.
// Usage: [--accounts N] [--concurrency C]. Bounded: it writes, reads and activates N accounts once each.
var accounts = Argument("--accounts", 5_000);
var concurrency = Argument("--concurrency", 32);

await using var azurite = await AzuriteServer.StartNewAsync();
await using var cluster = await ReputationGridCluster.StartAsync(options =>
{
    options.Silos = 1;
    options.FileLogging = false;
    options.UseAzureTableStorage(azurite.ConnectionString, "StorageBenchmark");
});
var silo = cluster.Cluster.GetSiloServiceProvider();
var storage = silo.GetRequiredKeyedService<IGrainStorage>("accounts");
var state = TypicalAccountState();
Console.WriteLine($"Azure Table storage on Azurite (loopback), {accounts} accounts, {concurrency} in flight, state {state.Reputation!.Length} bytes encoded");
Console.WriteLine($"{"state serializer",-34} {"bytes",10} {"µs/trip",8} {"B/trip",8}");
MeasureSerializer("binary (the account storage)", silo.GetRequiredService<IOptionsMonitor<AzureTableStorageOptions>>().Get("accounts").GrainStorageSerializer);
MeasureSerializer("JSON (the silo default, before)", silo.GetRequiredService<IGrainStorageSerializer>());
Console.WriteLine($"{"operation",-34} {"ops/s",10} {"p50 ms",8} {"p99 ms",8}");

var etags = new string?[accounts];
await Measure("write (create)", async i =>
{
    var grainState = new GrainState<AccountState>(state);
    await storage.WriteStateAsync("account", AccountGrainId(i), grainState);
    etags[i] = grainState.ETag;
});
await Measure("write (replace, ETag checked)", async i =>
{
    var grainState = new GrainState<AccountState>(state) { ETag = etags[i] };
    await storage.WriteStateAsync("account", AccountGrainId(i), grainState);
});
await Measure("read", i => storage.ReadStateAsync("account", AccountGrainId(i), new GrainState<AccountState>()));
await Measure("activate account from storage", i => Account(i).GetViewAsync());
await Measure("same call, account active", i => Account(i).GetViewAsync());
return;

IAccountGrain Account(int i) => cluster.Client.GetGrain<IAccountGrain>($"bench-{i}");

GrainId AccountGrainId(int i) => Account(i).GetGrainId();

async Task Measure(string name, Func<int, Task> operation)
{
    var latencies = new double[accounts];
    var next = -1;
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        for (var i = Interlocked.Increment(ref next); i < accounts; i = Interlocked.Increment(ref next))
        {
            var callStarted = Stopwatch.GetTimestamp();
            await operation(i);
            latencies[i] = Stopwatch.GetElapsedTime(callStarted).TotalMilliseconds;
        }
    }));
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    Array.Sort(latencies);
    Console.WriteLine($"{name,-34} {accounts / seconds,10:F0} {Percentile(latencies, 0.50),8:F2} {Percentile(latencies, 0.99),8:F2}");
}

// A round trip is what a flush and the next activation do to a state: serialize it, then deserialize it.
void MeasureSerializer(string name, IGrainStorageSerializer serializer)
{
    const int trips = 20_000;
    var size = serializer.Serialize(state).ToMemory().Length;
    for (var i = 0; i < trips / 10; i++)
    {
        serializer.Deserialize<AccountState>(serializer.Serialize(state));
    }

    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < trips; i++)
    {
        serializer.Deserialize<AccountState>(serializer.Serialize(state));
    }

    var micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds / trips;
    Console.WriteLine($"{name,-34} {size,10} {micros,8:F2} {(GC.GetAllocatedBytesForCurrentThread() - allocated) / trips,8}");
}

static double Percentile(double[] sorted, double quantile) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(quantile * sorted.Length) - 1)];

// An account a day into ordinary use: registered, 200 sends to 40 people, some replies.
static AccountState TypicalAccountState()
{
    var account = new AccountReputation();
    var policy = new ScoringPolicy();
    var at = DateTimeOffset.UtcNow.AddDays(-1);
    account.Behaviour.RecordRegistration(new Registration(at.AddDays(-90), NetworkKind.Mobile, Business: false, CountryCode: "44", IpPrefix: "10.1.2", DeviceId: "device-1"));
    for (var i = 0; i < 200; i++)
    {
        account.CheckSend(at.AddMinutes(i * 5), new OutgoingMessage($"friend-{i % 40}", RecipientIsContact: i % 10 != 0, Typed: true), policy, out _);
    }

    return new AccountState { Reputation = account.Encode() };
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value > 0
        ? value
        : index < 0 ? fallback : throw new ArgumentException($"{name} needs a positive whole number.");
}
