using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Policy;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>
/// The policy lifecycle on a two-silo in-memory cluster: changes reach every silo without a restart, invalid ones change
/// nothing, a silo started later takes the stored policy, rollback, and shadow counting that never touches live decisions.
/// </summary>
public sealed class PolicyLifecycleTests : IAsyncLifetime
{
    private const string Seeded = "lifecycle.1";

    /// <summary>The policy grain's revision after seeding, its first change: a poll that knows it hears of nothing newer.</summary>
    private const long SeededRevision = 1;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The bound the documentation gives for a change to reach every silo.</summary>
    private static readonly TimeSpan PropagationBound = TimeSpan.FromSeconds(5);

    private ReputationGridCluster _cluster = null!;
    private string? _lateSiloConfiguredVersion;

    public async ValueTask InitializeAsync() => _cluster = await ReputationGridCluster.StartAsync(options =>
    {
        options.FileLogging = false;
        options.Settings["Policy:Version"] = Seeded;
        options.ConfigureSilo.Add(silo => silo.Services.PostConfigure<ScoringPolicy>(policy =>
            policy.Version = _lateSiloConfiguredVersion ?? policy.Version));
    });

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private IPolicyGrain PolicyGrain => _cluster.Client.GetGrain<IPolicyGrain>(IPolicyGrain.Key);

    private IEnumerable<LivePolicy> Silos => _cluster.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<LivePolicy>());

    /// <summary>The seeded policy with a change: <c>send_rate_15s</c> scores its full weight from the <paramref name="fullAt"/>th attempt in 15 s.</summary>
    private static string Document(string version, double fullAt = 1, double weight = 40)
    {
        var policy = new ScoringPolicy { Version = version };
        policy.Signals.SendRate15s = new SignalPolicy(fullAt - 1, fullAt, weight);
        return PolicyDocument.Write(policy);
    }

    private static string SeededDocument() => PolicyDocument.Write(new ScoringPolicy { Version = Seeded });

    private static MessageDetails ToFriend => new("friend", RecipientIsContact: true, Typed: true);

    private Task<SendDecision> CheckAsync(string account, int second = 0) =>
        _cluster.Client.GetGrain<IAccountGrain>(account).CheckSendAsync(Now.AddSeconds(second), ToFriend);

    /// <summary>Waits, at most the documented bound, until every silo applies what <paramref name="applied"/> says.</summary>
    private async Task EverySiloAppliesAsync(Func<PolicySet, bool> applied)
    {
        using var deadline = new CancellationTokenSource(PropagationBound);
        foreach (var silo in Silos)
        {
            await silo.ReadyAsync();
        }

        while (!Silos.All(silo => applied(silo.Current)))
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    [Fact]
    public async Task The_configuration_seeds_the_first_version_and_every_silo_applies_it()
    {
        var live = await PolicyGrain.GetLiveAsync();
        var versions = await PolicyGrain.GetVersionsAsync();

        Assert.Equal(Seeded, live.Version);
        Assert.Equal(SeededDocument(), live.Document);
        Assert.Equal(Policy.PolicyGrain.ConfigurationAuthor, Assert.Single(versions.Versions).Author);
        await EverySiloAppliesAsync(set => set.Live.Version == Seeded);
        Assert.Equal(Seeded, (await CheckAsync("seeded")).PolicyVersion);
    }

    [Fact]
    public async Task A_change_reaches_every_silo_and_changes_the_next_decision_without_a_restart()
    {
        var before = await CheckAsync("changed");
        Assert.Equal((EnforcementAction.Allow, Seeded), (before.Action, before.PolicyVersion));

        var change = await PolicyGrain.PublishAsync(Document("lifecycle.2"), "alice");

        Assert.Empty(change.Errors);
        await EverySiloAppliesAsync(set => set.Live.Version == "lifecycle.2");
        var after = await CheckAsync("changed", 60);
        Assert.Equal((EnforcementAction.Throttle, "lifecycle.2"), (after.Action, after.PolicyVersion));
        Assert.Equal([ReasonCode.SendRate15s], after.Reasons);
        var history = await PolicyGrain.GetVersionsAsync();
        Assert.Equal("lifecycle.2", history.Live);
        Assert.Equal(change.Accepted, await PolicyGrain.GetVersionAsync("lifecycle.2"));
        Assert.Equal(SeededDocument(), (await PolicyGrain.GetVersionAsync(Seeded))!.Document);
        Assert.Null(await PolicyGrain.GetVersionAsync("never-published"));
        Assert.Equal(["lifecycle.2", Seeded], history.Versions.Select(v => v.Version));
        Assert.Equal("alice", history.Versions[0].Author);
        var view = await _cluster.Client.GetGrain<IAccountGrain>("changed").GetViewAsync();
        Assert.Equal("policy:lifecycle.2", Assert.Single(view.History).By);
    }

    [Fact]
    public async Task An_invalid_change_is_refused_naming_each_bad_key_and_nothing_changes()
    {
        await EverySiloAppliesAsync(set => set.Live.Version == Seeded);
        var applied = Silos.Select(silo => silo.Current).ToList();
        var invalid = Document("lifecycle.bad").Replace("\"throttle\":70", "\"throttle\":150", StringComparison.Ordinal)
            .Replace("\"hysteresis\":10", "\"hysteresis\":80", StringComparison.Ordinal);

        var refused = await PolicyGrain.PublishAsync(invalid, "alice");
        var unknownKey = await PolicyGrain.PublishAsync("""{"version": "lifecycle.x", "thresholds": {"throtle": 60}}""", "alice");
        var reused = await PolicyGrain.PublishAsync(SeededDocument(), "alice");

        Assert.Null(refused.Accepted);
        Assert.Contains("Policy:Thresholds:Throttle", refused.Errors.Select(PolicyDocument.KeyOf));
        Assert.Contains("Policy:Thresholds:Hysteresis", refused.Errors.Select(PolicyDocument.KeyOf));
        Assert.Contains("throtle", Assert.Single(unknownKey.Errors), StringComparison.Ordinal);
        Assert.Equal("Policy:Version", PolicyDocument.KeyOf(Assert.Single(reused.Errors)));
        Assert.Equal(Seeded, (await PolicyGrain.GetLiveAsync()).Version);
        Assert.Single((await PolicyGrain.GetVersionsAsync()).Versions);
        Assert.Null(await PolicyGrain.SyncAsync(Guid.NewGuid(), SeededRevision, null));
        Assert.Equal(applied, Silos.Select(silo => silo.Current));
    }

    [Fact]
    public async Task A_silo_started_after_a_change_uses_the_stored_version_not_its_configuration()
    {
        await PolicyGrain.PublishAsync(Document("lifecycle.2"), "alice");
        await EverySiloAppliesAsync(set => set.Live.Version == "lifecycle.2");

        _lateSiloConfiguredVersion = "late-silo-configuration";
        var late = await _cluster.Cluster.StartAdditionalSiloAsync();
        var livePolicy = late.ServiceProvider.GetRequiredService<LivePolicy>();
        await livePolicy.ReadyAsync().WaitAsync(PropagationBound, TestContext.Current.CancellationToken);

        Assert.Equal("lifecycle.2", livePolicy.Current.Live.Version);
        Assert.Equal(Document("lifecycle.2"), PolicyDocument.Write(livePolicy.Current.Live));
    }

    [Fact]
    public async Task A_rollback_makes_an_earlier_version_live_on_every_silo()
    {
        await PolicyGrain.PublishAsync(Document("lifecycle.2"), "alice");
        await EverySiloAppliesAsync(set => set.Live.Version == "lifecycle.2");

        var unknown = await PolicyGrain.RollbackAsync("lifecycle.9", "bob");
        var rolledBack = await PolicyGrain.RollbackAsync(Seeded, "bob");

        Assert.Equal("version", PolicyDocument.KeyOf(Assert.Single(unknown.Errors)));
        Assert.Equal(Seeded, rolledBack.Accepted?.Version);
        await EverySiloAppliesAsync(set => set.Live.Version == Seeded);
        var decision = await CheckAsync("rolled-back");
        Assert.Equal((EnforcementAction.Allow, Seeded), (decision.Action, decision.PolicyVersion));
        var history = await PolicyGrain.GetVersionsAsync();
        Assert.Equal(Seeded, history.Live);
        Assert.Equal(2, history.Versions.Length);
    }

    [Fact]
    public async Task Shadow_counts_are_exact_on_a_scripted_stream_and_never_alter_live_decisions()
    {
        // The candidate scores send_rate_15s in full from the second attempt: it agrees with the live policy on each
        // account's first send and throttles its second, which the live policy allows.
        const int accounts = 6;
        var installed = await PolicyGrain.InstallShadowAsync(Document("candidate", fullAt: 2), "carol");
        Assert.Empty(installed.Errors);
        await EverySiloAppliesAsync(set => set.Shadow?.Policy.Version == "candidate");

        var live = new ScoringPolicy { Version = Seeded };
        for (var i = 0; i < accounts; i++)
        {
            var expected = new AccountReputation();
            for (var send = 0; send < 2; send++)
            {
                var decision = await CheckAsync($"shadowed-{i}", send);
                var unshadowed = expected.CheckSend(Now.AddSeconds(send), ToFriend.ToOutgoing(), live, out _);
                Assert.Equal((unshadowed.Action, unshadowed.Score, unshadowed.Reasons.ToArray(), Seeded), (decision.Action, decision.Score, decision.Reasons, decision.PolicyVersion));
            }

            var view = await _cluster.Client.GetGrain<IAccountGrain>($"shadowed-{i}").GetViewAsync();
            Assert.Equal(expected.Enforcement.Score, view.Score);
            Assert.Empty(view.History);
        }

        var report = await ReportWhenAsync(r => r.Counts.Compared == 2 * accounts);
        var counts = report.Counts;
        Assert.Equal(("candidate", "carol"), (report.Candidate.Version, report.Candidate.Author));
        Assert.Equal(accounts, counts.Agreed);
        Assert.Equal(accounts, counts.Matrix[Cell(EnforcementAction.Allow, EnforcementAction.Allow)]);
        Assert.Equal(accounts, counts.Matrix[Cell(EnforcementAction.Allow, EnforcementAction.Throttle)]);
        Assert.Equal(2 * accounts, counts.Matrix.Sum());
        Assert.Equal(accounts, counts.DifferingReasons[(int)ReasonCode.SendRate15s]);
        Assert.Equal(accounts, counts.DifferingReasons.Sum());
        Assert.Equal(accounts, report.SampleTotal);
        Assert.Equal(
            Enumerable.Range(0, accounts).Select(i => $"shadowed-{i}").Order(),
            counts.Sample.Select(s => s.Account).Order());
        Assert.All(counts.Sample, s => Assert.Equal((EnforcementAction.Allow, EnforcementAction.Throttle, Now.AddSeconds(1)), (s.Live, s.Shadow, s.At)));

        var page = await PolicyGrain.GetShadowReportAsync(4, 10);
        Assert.Equal(accounts - 4, page!.Counts.Sample.Length);
        Assert.True(await PolicyGrain.RemoveShadowAsync());
        Assert.Null(await PolicyGrain.GetShadowReportAsync(0, 10));
        await EverySiloAppliesAsync(set => set.Shadow is null);
    }

    [Fact]
    public async Task Publishing_the_candidates_version_promotes_it_and_removes_the_shadow()
    {
        await PolicyGrain.InstallShadowAsync(Document("candidate"), "carol");

        await PolicyGrain.PublishAsync(Document("candidate"), "carol");

        Assert.Null(await PolicyGrain.GetShadowReportAsync(0, 10));
        await EverySiloAppliesAsync(set => set.Live.Version == "candidate" && set.Shadow is null);
    }

    private static int Cell(EnforcementAction live, EnforcementAction shadow) => (live.Severity() * ShadowTally.Actions) + shadow.Severity();

    private async Task<ShadowReport> ReportWhenAsync(Func<ShadowReport, bool> complete)
    {
        // Each silo reports its counts with its next poll.
        using var deadline = new CancellationTokenSource(PropagationBound);
        while (true)
        {
            if (await PolicyGrain.GetShadowReportAsync(0, 100) is { } report && complete(report))
            {
                return report;
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
