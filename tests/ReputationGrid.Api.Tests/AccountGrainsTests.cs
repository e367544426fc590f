using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Tests;

/// <summary>The gateway's account references: the same grains as Orleans' own <c>GetGrain</c>, reached the same way.</summary>
public sealed class AccountGrainsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task References_address_the_same_grain_as_GetGrain_and_reach_it()
    {
        var accounts = gateway.Services.GetRequiredService<AccountGrains>();
        var grains = gateway.Services.GetRequiredService<IGrainFactory>();

        foreach (var id in new[] { "refs-alice", "refs-bob@example.org", "refs-+15550100" })
        {
            var ours = (GrainReference)accounts.Get(id);
            var orleans = (GrainReference)grains.GetGrain<IAccountGrain>(id);
            Assert.Equal(orleans.GrainId, ours.GrainId);
            Assert.Equal(orleans.InterfaceType, ours.InterfaceType);
            Assert.Equal(orleans, ours);
        }

        Assert.False((await grains.GetGrain<IAccountGrain>("refs-alice").GetViewAsync()).Known);
        await accounts.Get("refs-alice").RecordAsync([new AccountRegistered(DateTimeOffset.UtcNow, Scoring.NetworkKind.Mobile)]);
        var view = await grains.GetGrain<IAccountGrain>("refs-alice").GetViewAsync();
        Assert.Equal("refs-alice", view.Account);
        Assert.True(view.Known);
    }
}
