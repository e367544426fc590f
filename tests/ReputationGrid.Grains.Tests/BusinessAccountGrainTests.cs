using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>Business accounts through the grain: the tier's limit at send time, upgrades and downgrades, stored and shown.</summary>
public sealed class BusinessAccountGrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private ReputationGridCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await ReputationGridCluster.StartAsync(options => options.Time = _time);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private static MessageDetails Opening(string person) => new(person, false, Conversation: ConversationKind.BusinessInitiated);

    /// <summary>A business registered a month ago whose <paramref name="count"/> customers opted in at <paramref name="at"/>.</summary>
    private async Task<IAccountGrain> BusinessAsync(string id, int count, DateTimeOffset at)
    {
        var grain = _cluster.Client.GetGrain<IAccountGrain>(id);
        var events = new List<AccountEvent> { new AccountRegistered(at.AddDays(-30), NetworkKind.Landline, Business: true) };
        events.AddRange(Enumerable.Range(0, count).Select(i => new OptedIn(at, $"customer-{i}")));
        await grain.RecordAsync([.. events]);
        return grain;
    }

    [Fact]
    public async Task A_new_conversation_beyond_the_limit_is_throttled_until_a_slot_frees_and_the_view_shows_the_use()
    {
        var grain = await BusinessAsync("shop", 260, Now);
        for (var i = 0; i < 250; i++)
        {
            Assert.Equal(EnforcementAction.Allow, (await grain.CheckSendAsync(Now.AddSeconds(10 * i), Opening($"customer-{i}"))).Action);
        }

        var refused = await grain.CheckSendAsync(Now.AddHours(1), Opening("customer-250"));
        var again = await grain.CheckSendAsync(Now.AddHours(1), Opening("customer-3"));
        await _cluster.Cluster.DeactivateAsync(grain);
        var view = await grain.GetViewAsync();

        Assert.Equal((EnforcementAction.Throttle, 23 * 3600), (refused.Action, refused.RetryAfterSeconds));
        Assert.Equal([ReasonCode.BusinessTierLimit], refused.Reasons);
        Assert.Equal(EnforcementAction.Allow, again.Action);
        Assert.Equal((1, 250, 250L, "none", "high"), (view.Business!.Tier, view.Business.Limit, view.Business.UsedIn24h, view.Business.Verification, view.Business.Quality));
        Assert.Equal(EnforcementAction.Allow, view.Action); // the limit is per message, not a standing
    }

    [Fact]
    public async Task A_business_that_keeps_quality_and_uses_its_limit_moves_up_a_day_later_and_one_whose_quality_collapses_moves_down()
    {
        var growing = await BusinessAsync("growing", 130, Now);
        await growing.RecordAsync([.. Enumerable.Range(0, 130).Select(i => new MessageSent(Now.AddMinutes(i), Opening($"customer-{i}")))]);
        await growing.RecordAsync([new ReplyReceived(Now.AddHours(27), "customer-1")]);

        var collapsing = await BusinessAsync("collapsing", 100, Now);
        await collapsing.RecordAsync([new BusinessVerified(Now, VerificationLevel.Basic)]);
        await collapsing.RecordAsync([
            .. Enumerable.Range(0, 100).Select(i => new MessageSent(Now.AddMinutes(1), Opening($"customer-{i}"))),
            .. Enumerable.Range(0, 10).Select(i => new OptedOut(Now.AddMinutes(2), $"customer-{i}")),
            .. Enumerable.Range(0, 5).Select(i => new MessageSent(Now.AddMinutes(3), Opening($"customer-{i}"))),
        ]);
        await collapsing.RecordAsync([new ContactAdded(Now.AddHours(25), "someone")]);

        var grown = await growing.GetViewAsync();
        var fallen = await collapsing.GetViewAsync();

        Assert.Equal((2, 1_000), (grown.Business!.Tier, grown.Business.Limit));
        var upgrade = Assert.Single(grown.History, entry => entry.Reasons is [ReasonCode.BusinessTierUpgraded]);
        Assert.Equal(Now.AddMinutes(124).AddHours(24), upgrade.At); // a day after the 125th conversation, half of 250
        Assert.Equal((1, "low"), (fallen.Business!.Tier, fallen.Business.Quality));
        Assert.Contains(fallen.History, entry => entry.Reasons is [ReasonCode.QualityLow] && entry.Note == "tier 2 -> 1");
        Assert.Contains(fallen.History, entry => entry.Reasons is [ReasonCode.BusinessVerified] && entry.Note == "tier 1 -> 2");
    }

    [Fact]
    public async Task An_operator_sets_a_tier_and_it_is_stored_in_the_history()
    {
        var grain = await BusinessAsync("brand", 0, Now);

        await grain.ApplyOperatorActionAsync(new OperatorAction(OperatorCommand.SetTier, "enterprise", "ops:dana", Tier: 4));
        await _cluster.Cluster.DeactivateAsync(grain);
        var view = await grain.GetViewAsync();

        Assert.Equal((4, 100_000), (view.Business!.Tier, view.Business.Limit));
        Assert.Contains(view.History, entry => entry.By == "ops:dana" && entry.Reasons is [ReasonCode.OperatorSetTier] && entry.Note == "enterprise");
    }
}
