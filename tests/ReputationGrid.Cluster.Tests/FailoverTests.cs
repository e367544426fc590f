using ReputationGrid.Clustering;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Cluster.Tests;

/// <summary>
/// Separate silo and gateway processes with membership and storage in Azurite (and membership in Redis), changed under traffic:
/// a silo killed, a silo stopped, a silo added. Nothing acknowledged may be lost.
/// </summary>
public sealed partial class FailoverTests(ITestOutputHelper output)
{
    /// <summary>Generous: failure detection is tuned to about 5 s, and calls caught in flight wait the 4 s response timeout.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    /// <summary>
    /// No request may wait longer than this after a silo dies: the 4 s response timeout bounds a call caught on the dead
    /// silo (Orleans notices an expired call up to about a second late), and the rest is the gateway's own time.
    /// </summary>
    private static readonly TimeSpan LongestRequestBound = TimeSpan.FromSeconds(6);

    /// <summary>How long after a kill the traffic is observed: the issue's target is 80% of the throughput back within 10 s.</summary>
    private static readonly TimeSpan ObservationWindow = TimeSpan.FromSeconds(15);

    private static readonly string[] Accounts = [.. Enumerable.Range(0, 200).Select(i => $"user-{i}")];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task WarmAsync(GatewayClient gateway, IEnumerable<string> accounts)
    {
        foreach (var account in accounts)
        {
            using var response = await gateway.CheckSendAsync(account, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<string[]> BanAsync(GatewayClient gateway, int count)
    {
        var banned = Accounts.Where((_, i) => i % (Accounts.Length / count) == 0).Take(count).ToArray();
        foreach (var account in banned)
        {
            using var response = await gateway.BanAsync(account, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        return banned;
    }

    private static async Task AssertBannedAsync(GatewayClient gateway, IEnumerable<string> accounts)
    {
        foreach (var account in accounts)
        {
            var view = await gateway.GetAccountAsync(account, Cancel);
            Assert.Equal("ban", view.GetProperty("action").GetString());
        }
    }

    /// <summary>Every line a process wrote (the warnings of a failover among them) starts with a UTC timestamp.</summary>
    private static void AssertEveryLineTimestamped(IEnumerable<ClusterProcess> processes)
    {
        foreach (var process in processes)
        {
            var lines = process.Process.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.Matches(TimestampedLine(), line));
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z ")]
    private static partial Regex TimestampedLine();

    /// <summary>The silo holding the most accounts: losing it hurts most.</summary>
    private static async Task<ClusterProcess> BusiestSiloAsync(LocalCluster cluster)
    {
        var active = await cluster.ActiveAccountsBySiloPortAsync();
        return cluster.Silos.Where(s => !s.Process.HasExited).MaxBy(s => active.GetValueOrDefault(s.SiloPort!.Value))!;
    }

    /// <summary>Time until one full round of checks over every account succeeds.</summary>
    private static async Task<TimeSpan> TimeToFullRecoveryAsync(GatewayClient gateway, long since)
    {
        while (true)
        {
            var roundStarted = Stopwatch.GetElapsedTime(since);
            var allAnswered = true;
            foreach (var account in Accounts)
            {
                using var response = await gateway.CheckSendAsync(account, Cancel);
                allAnswered &= response.StatusCode == HttpStatusCode.OK;
            }

            if (allAnswered)
            {
                return roundStarted;
            }

            Assert.True(Stopwatch.GetElapsedTime(since) < RecoveryBound * 2, "the cluster did not recover");
        }
    }

    [Fact]
    public async Task Killing_a_silo_loses_no_acknowledged_ban_and_the_gateway_recovers_within_the_bound()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, gateways: 1);
        using var gateway = new GatewayClient(cluster.Gateways[0].BaseAddress);
        await WarmAsync(gateway, Accounts);
        var banned = await BanAsync(gateway, count: 20);
        var victim = await BusiestSiloAsync(cluster);
        var before = await cluster.ActiveAccountsBySiloPortAsync();

        await using (var traffic = Traffic.Start(gateway, Accounts))
        {
            // A few seconds of steady traffic first: the throughput after the kill is compared with it.
            await traffic.WaitForAnswersAsync(Accounts.Length * 2);
            var killed = Stopwatch.GetTimestamp();
            await victim.Process.KillAsync();
            var recovery = await TimeToFullRecoveryAsync(gateway, killed);

            // The traffic is observed for a fixed window after the kill, long enough to see its throughput come back.
            var observed = ObservationWindow - Stopwatch.GetElapsedTime(killed);
            if (observed > TimeSpan.Zero)
            {
                await Task.Delay(observed, Cancel);
            }

            await traffic.StopAsync();
            var longest = traffic.LongestSince(killed);
            var throughputBack = traffic.TimeToThroughput(killed, fraction: 0.8, baseline: TimeSpan.FromSeconds(2));
            output.WriteLine($"Killed {victim.Name} holding {before.GetValueOrDefault(victim.SiloPort!.Value)} of {before.Values.Sum()} active accounts; " +
                $"every account answered again {recovery.TotalSeconds:F1} s later; traffic meanwhile: {traffic.Succeeded} answered, {traffic.Failed} failed; " +
                $"longest request after the kill {longest.TotalSeconds:F2} s; throughput back to 80% after {throughputBack?.TotalSeconds.ToString("F1") ?? "never"} s.");
            Assert.True(longest < LongestRequestBound, $"a request waited {longest}");
            Assert.True(recovery < RecoveryBound, $"recovered after {recovery}");
            Assert.True(throughputBack < RecoveryBound, $"throughput back to 80% after {throughputBack}");
        }

        await AssertBannedAsync(gateway, banned);
        AssertEveryLineTimestamped(cluster.Silos.Where(s => s != victim).Append(cluster.Gateways[0]));
        var after = await cluster.ActiveAccountsBySiloPortAsync();
        Assert.DoesNotContain(victim.SiloPort!.Value, after.Keys);
        Assert.True(after.Values.Sum() >= Accounts.Length, $"{after.Values.Sum()} accounts active on the survivors");
    }

    [Fact]
    public async Task Stopping_a_silo_with_SIGTERM_under_traffic_loses_no_acknowledged_state()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, gateways: 1, membership: ClusteringOptions.Redis);
        using var gateway = new GatewayClient(cluster.Gateways[0].BaseAddress);
        await WarmAsync(gateway, Accounts);
        var banned = await BanAsync(gateway, count: 20);
        var counted = Accounts.Skip(1).Where((_, i) => i % 10 == 0).ToArray();
        foreach (var account in counted)
        {
            using var response = await gateway.RecordSendsAsync(account, count: 7, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Traffic goes on to every other account, the banned ones included. Counted accounts get none while the
        // silo stops: a call to an account of a stopping silo can activate it elsewhere before its counters are
        // written (dotnet/orleans#5687), which makes their last flush interval as exposed as in a crash.
        var victim = await BusiestSiloAsync(cluster);
        await using (Traffic.Start(gateway, [.. Accounts.Except(counted)]))
        {
            await victim.Process.StopAsync(StopSignal.Terminate, TimeSpan.FromMinutes(1));
            Assert.True(victim.Process.HasExited);
        }

        await AssertBannedAsync(gateway, banned);
        foreach (var account in counted)
        {
            // 7 recorded sends plus the warm-up check; counters are flushed only every 30 s, so the stopping
            // silo must have written them as it deactivated its accounts.
            var view = await gateway.GetAccountAsync(account, Cancel);
            Assert.True(view.GetProperty("features").GetProperty("sent24h").GetDouble() >= 8, $"{account}: {view}");
        }
    }

    [Fact]
    public async Task A_silo_added_under_traffic_takes_part_of_the_new_activations()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, gateways: 1);
        using var gateway = new GatewayClient(cluster.Gateways[0].BaseAddress);
        await WarmAsync(gateway, Accounts);

        ClusterProcess added;
        await using (Traffic.Start(gateway, Accounts))
        {
            added = await cluster.AddSiloAsync();
            var newcomers = Enumerable.Range(0, 400).Select(i => $"newcomer-{i}").ToArray();
            await WarmAsync(gateway, newcomers);
        }

        var active = await cluster.ActiveAccountsBySiloPortAsync();
        output.WriteLine($"Active accounts by silo port after the join: {string.Join(", ", active.Select(a => $"{a.Key}: {a.Value}"))}; added silo {added.SiloPort}.");
        Assert.True(active.GetValueOrDefault(added.SiloPort!.Value) > 0, "the added silo holds no accounts");
    }
}
