using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Telemetry;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>The account grain's contract and durability, on a two-silo cluster with instrumented storage and a fake clock.</summary>
public sealed class AccountGrainTests : IAsyncLifetime
{
    private const string PolicyVersion = "grain-tests.1";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly StorageRecorder _storage = new();
    private ReputationGridCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await ReputationGridCluster.StartAsync(options =>
        {
            options.Time = _time;
            options.Settings["Accounts:StorageName"] = "recorded";
            options.Settings["Accounts:FlushInterval"] = "00:00:30";
            options.Settings["Policy:Version"] = PolicyVersion;
            options.ConfigureSilo.Add(silo => _storage.Install(silo, "recorded"));
        });
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private IAccountGrain Grain(string id) => _cluster.Client.GetGrain<IAccountGrain>(id);

    private static MessageDetails ToFriend(int i) => new($"friend-{i % 7}", RecipientIsContact: true, Typed: true);

    /// <summary>An account that has sent <paramref name="sends"/> messages, one a second from <see cref="Now"/>, stored by deactivating it.</summary>
    private async Task<IAccountGrain> StoredAfterSendsAsync(string id, int sends)
    {
        var grain = Grain(id);
        for (var i = 0; i < sends; i++)
        {
            await grain.CheckSendAsync(Now.AddSeconds(i), ToFriend(i));
        }

        await _cluster.Cluster.DeactivateAsync(grain);
        return grain;
    }

    [Fact]
    public async Task An_unknown_account_answers_the_default_view_and_stores_nothing()
    {
        var grain = Grain("never-seen");
        var view = await grain.GetViewAsync();

        Assert.False(view.Known);
        Assert.Equal(EnforcementAction.Allow, view.Action);
        Assert.Equal(100, view.Score);
        Assert.Empty(view.History);
        Assert.Equal(PolicyVersion, view.PolicyVersion);

        await _cluster.Cluster.DeactivateAsync(grain);
        Assert.Equal(0, _storage.Writes(grain.GetGrainId()));
    }

    [Fact]
    public async Task Links_stored_by_several_writes_in_and_across_activations_are_all_read_back()
    {
        var grain = Grain("linking-account");
        await grain.RecordAsync([new AccountRegistered(Now, NetworkKind.Mobile, DeviceId: "device-1")]); // nothing stored before it
        await grain.RecordAsync([new SessionStarted(Now.AddMinutes(1), IpPrefix: "prefix-1")]); // over the first write
        await _cluster.Cluster.DeactivateAsync(grain);
        await grain.RecordAsync([new SessionStarted(Now.AddMinutes(2), DeviceId: "device-2")]); // over what the new activation read
        await _cluster.Cluster.DeactivateAsync(grain);

        var view = await grain.GetViewAsync();

        Assert.Equal(["device/device-1", "device/device-2", "network/prefix-1"], view.Links.Select(link => link.Entity).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Counters_are_written_once_per_flush_interval_not_per_event()
    {
        var grain = Grain("steady-sender");
        for (var i = 0; i < 40; i++)
        {
            var decision = await grain.CheckSendAsync(Now.AddMinutes(-40 + i), ToFriend(i));
            Assert.Equal(EnforcementAction.Allow, decision.Action);
            Assert.Equal(PolicyVersion, decision.PolicyVersion);
        }

        Assert.Equal(0, _storage.Writes(grain.GetGrainId()));

        // Written within two flush intervals of the first change (the scheduler spreads writes over the second).
        var flushed = _storage.NextWriteAsync(grain.GetGrainId());
        _time.Advance(TimeSpan.FromSeconds(60));
        await flushed.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(1, _storage.Writes(grain.GetGrainId()));

        for (var i = 0; i < 10; i++)
        {
            await grain.CheckSendAsync(Now.AddSeconds(30 + i), ToFriend(i));
        }

        Assert.Equal(1, _storage.Writes(grain.GetGrainId()));
    }

    /// <summary>Sends to strangers every 100 ms from a new account until the answer is stronger than <paramref name="action"/>.</summary>
    private static async Task<SendDecision> BurstPastAsync(IAccountGrain grain, EnforcementAction action)
    {
        await grain.RecordAsync([new AccountRegistered(Now.AddMinutes(-5), NetworkKind.Mobile)]);
        SendDecision decision;
        var i = 0;
        do
        {
            decision = await grain.CheckSendAsync(Now.AddMilliseconds(100 * i), new MessageDetails($"stranger-{i}", false));
            i++;
        }
        while (decision.Action <= action);

        return decision;
    }

    [Fact]
    public async Task A_throttle_is_stored_with_the_counters_not_before_the_answer()
    {
        var grain = Grain("burster");
        var decision = await BurstPastAsync(grain, EnforcementAction.Allow);
        Assert.Equal(EnforcementAction.Throttle, decision.Action);
        Assert.Equal(0, _storage.Writes(grain.GetGrainId()));

        var flushed = _storage.NextWriteAsync(grain.GetGrainId());
        _time.Advance(TimeSpan.FromSeconds(60));
        await flushed.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // Read back from storage by a new activation: the throttle and its history entry were in that write.
        await _cluster.Cluster.DeactivateAsync(grain);
        Assert.Equal(1, _storage.Writes(grain.GetGrainId()));
        var view = await grain.GetViewAsync();
        Assert.Equal(EnforcementAction.Throttle, view.Action);
        Assert.Contains(view.History, entry => entry.Action == EnforcementAction.Throttle);
    }

    [Fact]
    public async Task A_change_of_standing_is_stored_before_the_call_returns()
    {
        var grain = Grain("persistent-burster");
        var decision = await BurstPastAsync(grain, EnforcementAction.Throttle);

        Assert.True(decision.Action >= EnforcementAction.Challenge);
        Assert.Equal(1, _storage.Writes(grain.GetGrainId()));
    }

    [Fact]
    public async Task Counters_survive_deactivation()
    {
        var grain = Grain("sleepy");
        for (var i = 0; i < 5; i++)
        {
            await grain.CheckSendAsync(Now.AddSeconds(i), ToFriend(i));
        }

        await _cluster.Cluster.DeactivateAsync(grain);
        Assert.Equal(1, _storage.Writes(grain.GetGrainId()));

        var view = await grain.GetViewAsync();
        Assert.True(view.Known);
        Assert.Equal(5, view.Features["sent24h"]);
    }

    [Fact]
    public async Task An_account_whose_write_meets_a_newer_stored_state_leaves_and_comes_back_with_the_stored_state()
    {
        var grain = await StoredAfterSendsAsync("raced", 5);
        var superseded = _cluster.Cluster.Silos
            .Select(silo => new MetricCollector<long>(silo.ServiceProvider.GetRequiredService<IMeterFactory>(), ReputationMetrics.MeterName, "reputationgrid.accounts.superseded"))
            .ToList();
        for (var i = 5; i < 8; i++)
        {
            await grain.CheckSendAsync(Now.AddSeconds(i), ToFriend(i));
        }

        // Another activation stored a newer state: the operator's ban cannot be written by this one.
        _storage.ConflictOnNextWrite(grain.GetGrainId());
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Ban, "review", "ops:test")));

        // The next call reaches a new activation that read the stored state, not the superseded one with its
        // unstored sends and the ban that was never stored (whose caller was told it failed).
        var view = await grain.GetViewAsync();
        Assert.Equal(5, view.Features["sent24h"]);
        Assert.Equal(EnforcementAction.Allow, view.Action);
        Assert.Equal(1, _storage.Writes(grain.GetGrainId()));
        Assert.Equal(1, superseded.Sum(collector => collector.GetMeasurementSnapshot().Sum(m => m.Value)));
        superseded.ForEach(collector => collector.Dispose());
    }

    [Fact]
    public async Task A_write_that_landed_but_reported_failure_is_written_over_by_the_next()
    {
        var grain = Grain("answer-lost");
        await grain.CheckSendAsync(Now, ToFriend(0));
        _storage.LoseAnswerToNextWrite(grain.GetGrainId());

        // Stored before it returns: the write lands, but the caller hears that it failed.
        await Assert.ThrowsAnyAsync<Exception>(() =>
            grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Ban, "review", "ops:test")));

        // The next write meets that stored state with the ETag from before it. It is the account's own last write,
        // so it is written over, rather than the account leaving as if another activation had stored it.
        var view = await grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Clear, "appeal", "ops:test"));
        Assert.Equal(EnforcementAction.Allow, view.Action);
        Assert.Equal(2, _storage.Writes(grain.GetGrainId()));

        await _cluster.Cluster.DeactivateAsync(grain);
        var stored = await grain.GetViewAsync();
        Assert.Equal([EnforcementAction.Ban, EnforcementAction.Allow], stored.History.Select(entry => entry.Action));
        Assert.Equal(1, stored.Features["sent24h"]);
    }

    [Fact]
    public async Task A_failed_read_fails_its_call_and_the_next_call_reads_the_stored_state()
    {
        var grain = await StoredAfterSendsAsync("read-fails-once", 3);
        _storage.FailNextRead(grain.GetGrainId(), new TimeoutException("storage did not answer"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => grain.CheckSendAsync(Now.AddSeconds(3), ToFriend(3)));
        Assert.Contains("storage did not answer", error.ToString());

        // Not an empty account in place of the stored one, and not the failed read again.
        await grain.CheckSendAsync(Now.AddSeconds(4), ToFriend(4));
        var view = await grain.GetViewAsync();
        Assert.Equal(4, view.Features["sent24h"]);
    }

    [Fact]
    public async Task An_account_whose_stored_state_cannot_be_decoded_fails_every_call_and_never_overwrites_it()
    {
        var grain = await StoredAfterSendsAsync("unreadable", 1);
        _storage.StoreUnreadable(grain.GetGrainId(), [0xFF, 1, 2]);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => grain.CheckSendAsync(Now.AddSeconds(1), ToFriend(1)));
            Assert.Contains("Account state format 255 is not known", error.ToString());
        }

        await _cluster.Cluster.DeactivateAsync(grain);
        Assert.Equal(1, _storage.Writes(grain.GetGrainId()));
    }

    [Fact]
    public async Task Operator_actions_are_stored_kept_in_history_and_win_over_the_policy()
    {
        var grain = Grain("reviewed");
        await grain.CheckSendAsync(Now, ToFriend(1));

        var banned = await grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Ban, "confirmed spam campaign", "ops:dana"));
        Assert.Equal(1, _storage.Writes(grain.GetGrainId()));
        Assert.Equal(EnforcementAction.Ban, banned.Action);
        Assert.Equal([ReasonCode.OperatorBan], banned.Reasons);
        Assert.Equal(EnforcementAction.Ban, (await grain.CheckSendAsync(Now.AddSeconds(1), ToFriend(2))).Action);

        var suspended = await grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Suspend, "appeal pending", "ops:ali", Now.AddHours(1)));
        Assert.Equal(EnforcementAction.Suspend, suspended.Action);
        Assert.Equal(Now.AddHours(1), suspended.Until);

        await grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.Clear, "appeal granted", "ops:ali"));
        Assert.Equal(EnforcementAction.Allow, (await grain.CheckSendAsync(Now.AddSeconds(2), ToFriend(3))).Action);

        await _cluster.Cluster.DeactivateAsync(grain);
        var history = (await grain.GetViewAsync()).History;
        Assert.Equal(["ops:dana", "ops:ali", "ops:ali"], history.Select(h => h.By));
        Assert.Equal("appeal granted", history[^1].Note);
    }

    [Fact]
    public async Task Each_instrument_of_the_service_meter_records_what_the_account_did()
    {
        var meterFactories = _cluster.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<IMeterFactory>()).ToHashSet();
        var measured = new System.Collections.Concurrent.ConcurrentDictionary<(string Instrument, string? Tag), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope is IMeterFactory factory && meterFactories.Contains(factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = (instrument.Name, tags.Length == 0 ? null : $"{tags[0].Key}={tags[0].Value}");
            measured.AddOrUpdate(key, instrument is Histogram<double> ? 1 : value, (_, sum) => sum + (instrument is Histogram<double> ? 1 : value));
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        var grain = Grain("metered");
        await grain.RecordAsync([new AccountRegistered(Now.AddDays(-30), NetworkKind.Mobile), new ReplyReceived(Now, "friend-1")]);
        var actions = new List<EnforcementAction>();
        for (var i = 0; i < 30; i++)
        {
            actions.Add((await grain.CheckSendAsync(Now.AddSeconds(i * 0.2), new MessageDetails($"stranger-{i}", RecipientIsContact: false, Typed: true))).Action);
        }

        var history = (await grain.GetViewAsync()).History;
        Assert.Contains(EnforcementAction.Throttle, actions); // the burst was refused at some point, so there are changes to count
        Assert.Contains(history, entry => entry.Action == EnforcementAction.Throttle);

        Assert.Equal(1, measured.GetValueOrDefault(("reputationgrid.events.ingested", "type=account_registered")));
        Assert.Equal(1, measured.GetValueOrDefault(("reputationgrid.events.ingested", "type=reply_received")));
        Assert.Equal(1, measured.GetValueOrDefault(("reputationgrid.accounts.active", null)));
        foreach (var action in Enum.GetValues<EnforcementAction>())
        {
            var tag = $"action={EnforcementActions.Name(action)}";
            Assert.Equal(actions.Count(a => a == action), measured.GetValueOrDefault(("reputationgrid.decisions", tag)));
            Assert.Equal(actions.Count(a => a == action), measured.GetValueOrDefault(("reputationgrid.decision.duration", tag)));
            Assert.Equal(history.Count(h => h.Action == action), measured.GetValueOrDefault(("reputationgrid.enforcement.changes", tag)));
        }
    }
}
