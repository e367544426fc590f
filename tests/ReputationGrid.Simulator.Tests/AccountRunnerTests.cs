using System.Collections.Immutable;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Running;
using ReputationGrid.Simulator.Traffic;

namespace ReputationGrid.Simulator.Tests;

/// <summary>How one account's script is played, against a target whose answers the test chooses.</summary>
public sealed class AccountRunnerTests
{
    private static readonly DateTimeOffset T0 = PopulationSettings.DefaultStart;

    private static PlannedSend Send(int second, params AccountEvent[] ifDelivered) =>
        new(T0.AddSeconds(second), new MessageDetails($"to-{second}", false), [.. ifDelivered]);

    [Fact]
    public async Task Events_go_before_the_send_they_precede_and_reactions_follow_only_delivered_messages()
    {
        var script = new AccountScript(
            "runner-1",
            AccountKind.SlowDripToStrangers,
            T0,
            [new AccountRegistered(T0.AddDays(-3), NetworkKind.Mobile), new ContactAdded(T0.AddSeconds(15), "c")],
            [
                Send(10, new ReplyReceived(T0.AddSeconds(12), "to-10")),
                Send(20, new ReplyReceived(T0.AddSeconds(21), "to-20")),
                Send(30),
            ]);
        var target = new ScriptedTarget(second => second == 20 ? EnforcementAction.Throttle : EnforcementAction.Allow);

        var run = await AccountRunner.RunAsync(script, target, clock: null, keepScores: true, TestContext.Current.CancellationToken);

        Assert.Equal(
            ["record registered", "check 10", "record reply@12,contact@15", "check 20", "check 30"],
            target.Calls);
        Assert.Equal(3, run.Outcome.Attempts);
        Assert.Equal(2, run.Outcome.Delivered);
        Assert.Equal(EnforcementAction.Throttle, run.Outcome.WorstAction);
        Assert.Equal(T0.AddSeconds(20), run.Outcome.FirstActionAt);
        Assert.Equal(1, run.Outcome.DeliveredBefore[(int)EnforcementAction.Throttle]);
        Assert.Equal(2, run.Outcome.DeliveredBefore[(int)EnforcementAction.Suspend]); // never suspended: all it delivered
        Assert.Equal([ReasonCode.UnansweredStrangers], run.Outcome.FirstActionReasons);
        Assert.Equal(3, run.Outcome.Scores!.Count);
        Assert.Equal(3 + 3, run.Operations);
    }

    [Fact]
    public async Task A_banned_account_stops_sending_and_an_action_seen_only_in_the_history_counts()
    {
        var script = new AccountScript("runner-2", AccountKind.NewAccountBurst, T0, [], [Send(1), Send(2), Send(3), Send(4)]);
        var target = new ScriptedTarget(second => second >= 3 ? EnforcementAction.Ban : EnforcementAction.Allow)
        {
            History = [new AccountHistoryEntry(T0.AddSeconds(1.5), EnforcementAction.Challenge, [ReasonCode.GroupCreation], "policy:test", null)],
        };

        var run = await AccountRunner.RunAsync(script, target, clock: null, keepScores: false, TestContext.Current.CancellationToken);

        Assert.Equal(["check 1", "check 2", "check 3"], target.Calls);
        Assert.Equal(EnforcementAction.Ban, run.Outcome.WorstAction);
        Assert.Equal(T0.AddSeconds(1.5), run.Outcome.FirstActionAt);
        Assert.Equal(T0.AddSeconds(1.5), run.Outcome.FirstAt[(int)EnforcementAction.Challenge]);
        Assert.Equal(T0.AddSeconds(3), run.Outcome.FirstAt[(int)EnforcementAction.Suspend]);
        Assert.Equal([ReasonCode.GroupCreation], run.Outcome.FirstActionReasons);
        Assert.Equal(1, run.Outcome.DeliveredBefore[(int)EnforcementAction.Throttle]);
        Assert.Equal(2, run.Outcome.DeliveredBefore[(int)EnforcementAction.Ban]);
        Assert.Null(run.Outcome.Scores);
    }

    [Fact]
    public async Task A_throttle_obeyer_waits_as_told_and_retries_the_refused_message()
    {
        var script = new AccountScript("runner-3", AccountKind.ThrottleObeyer, T0, [], [Send(10), Send(20)]) { End = T0.AddSeconds(75) };
        var target = new ScriptedTarget(second => second is 10 or 40 ? EnforcementAction.Throttle : EnforcementAction.Allow);

        var run = await AccountRunner.RunAsync(script, target, clock: null, keepScores: false, TestContext.Current.CancellationToken);

        // The second send keeps its planned 10 seconds after the first, which went through at 70; 80 is past the end.
        Assert.Equal(["check 10", "check 40", "check 70"], target.Calls);
        Assert.Equal(1, run.Outcome.Delivered);
        Assert.Equal(TimeSpan.FromSeconds(60), run.Outcome.ThrottledFor);
    }

    [Fact]
    public async Task A_prober_drops_a_refused_message_pauses_and_slows_down()
    {
        var script = new AccountScript("runner-4", AccountKind.ThresholdProber, T0, [], [Send(10), Send(20), Send(30)]);
        var target = new ScriptedTarget(second => second == 10 ? EnforcementAction.Throttle : EnforcementAction.Allow);

        var run = await AccountRunner.RunAsync(script, target, clock: null, keepScores: false, TestContext.Current.CancellationToken);

        Assert.Equal(["check 10", "check 622.5", "check 635"], target.Calls);
        Assert.Equal(2, run.Outcome.Delivered);
    }

    [Theory]
    [InlineData(AccountKind.ClickFarm, true)]
    [InlineData(AccountKind.Teacher, true)]
    [InlineData(AccountKind.SlowDripToStrangers, false)]
    public async Task People_pass_the_challenges_they_are_shown_and_scripts_do_not(AccountKind kind, bool passes)
    {
        var script = new AccountScript("runner-5", kind, T0, [], [Send(10), Send(40)]);
        var target = new ScriptedTarget(second => second == 10 ? EnforcementAction.Challenge : EnforcementAction.Allow);

        await AccountRunner.RunAsync(script, target, clock: null, keepScores: false, TestContext.Current.CancellationToken);

        Assert.Equal(passes ? ["check 10", "record challenge@30", "check 40"] : ["check 10", "check 40"], target.Calls);
    }

    /// <summary>Answers each send check with the action chosen for its second after T0, and logs every call.</summary>
    private sealed class ScriptedTarget(Func<double, EnforcementAction> decide) : ITrafficTarget
    {
        public List<string> Calls { get; } = [];

        public IReadOnlyList<AccountHistoryEntry> History { get; init; } = [];

        public string Description => "scripted";

        public Task RecordAsync(string account, IReadOnlyList<AccountEvent> events, CancellationToken cancellationToken)
        {
            Calls.Add($"record {string.Join(",", events.Select(Describe))}");
            return Task.CompletedTask;
        }

        public Task<SendDecision> CheckSendAsync(string account, DateTimeOffset at, MessageDetails message, CancellationToken cancellationToken)
        {
            var second = (at - T0).TotalSeconds;
            Calls.Add($"check {second}");
            var action = decide(second);
            ReasonCode[] reasons = action == EnforcementAction.Allow ? [] : [ReasonCode.UnansweredStrangers];
            int? retryAfter = action == EnforcementAction.Throttle ? 30 : null;
            return Task.FromResult(new SendDecision(action, action == EnforcementAction.Allow ? 100 : 50, reasons, retryAfter, null, "test"));
        }

        public Task SettleAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<AccountEnd> ReviewAsync(string account, CancellationToken cancellationToken) => Task.FromResult(new AccountEnd(History));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static string Describe(AccountEvent e) => e switch
        {
            AccountRegistered => "registered",
            ReplyReceived reply => $"reply@{(reply.At - T0).TotalSeconds}",
            ContactAdded contact => $"contact@{(contact.At - T0).TotalSeconds}",
            ChallengePassed passed => $"challenge@{(passed.At - T0).TotalSeconds}",
            _ => e.GetType().Name,
        };
    }
}
