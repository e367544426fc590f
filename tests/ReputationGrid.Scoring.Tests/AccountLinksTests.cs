using ReputationGrid.Scoring.Linking;

namespace ReputationGrid.Scoring.Tests;

public sealed class AccountLinksTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Accounts_without_links_see_none_and_one_account_s_link_is_its_own()
    {
        var linked = new AccountLinks();
        var other = new AccountLinks();
        Assert.Empty(linked.All);
        Assert.Null(linked.Find(EntityKind.Device, "phone-1"));

        Assert.True(linked.Add(EntityKind.Device, "phone-1", T0, registration: true));

        Assert.Single(linked.All);
        Assert.Empty(other.All);
        Assert.Null(other.Find(EntityKind.Device, "phone-1"));
        Assert.Empty(AccountLinks.Decode([]).All);
    }

    [Fact]
    public void The_oldest_link_of_a_kind_leaves_first_and_stored_links_round_trip()
    {
        var links = new AccountLinks();
        for (var i = 0; i <= AccountLinks.MaxLinksPerKind; i++)
        {
            links.Add(EntityKind.Network, $"prefix-{i}", T0.AddMinutes(i));
        }

        links.Add(EntityKind.Content, "campaign", T0);
        Assert.Null(links.Find(EntityKind.Network, "prefix-0"));
        Assert.Equal(AccountLinks.MaxLinksPerKind + 1, links.All.Count);
        Assert.True(links.StoredLinksChanged);

        var read = AccountLinks.Decode(links.Encode());

        Assert.False(links.StoredLinksChanged);
        Assert.Equal(
            [.. Enumerable.Range(1, AccountLinks.MaxLinksPerKind).Select(i => ($"prefix-{i}", T0.AddMinutes(i)))],
            read.All.Select(link => (link.Id, link.Since)).ToArray());
        Assert.All(read.All, link => Assert.True(link.Reported));
    }
}
