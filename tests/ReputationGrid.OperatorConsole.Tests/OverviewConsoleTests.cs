using ReputationGrid.Testing.Apis;

namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>The overview and the Orleans dashboard beside it, in a real browser.</summary>
public sealed class OverviewConsoleTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task The_overview_shows_what_the_cluster_decided_and_its_health()
    {
        var account = $"burst-{Guid.NewGuid():N}"[..20];
        using (var sender = console.Api(console.Sender))
        {
            await BurstOverApis.OverHttpAsync(sender, account, TestContext.Current.CancellationToken);
        }

        await using var session = await console.NewSessionAsync();
        var page = await AccountConsoleTests.SignInAsync(session, console.Operator);

        // Silos report every few seconds: the page shows the burst once the report is in.
        var change = page.Locator($"#recent-changes a[href='/console/account/{account}?stored=true']");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await change.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The overview never showed the account's enforcement change.");
            await page.ReloadAsync();
        }

        Assert.NotEmpty(await page.Locator("#top-reasons tbody tr").AllTextContentsAsync());
        Assert.Equal(5, await page.Locator("#decision-rates tbody tr").CountAsync());
        var silo = await page.Locator("#silos tbody tr").First.Locator("td").AllTextContentsAsync();
        Assert.Equal("Active", silo[1]);
        Assert.True(int.Parse(silo[2]) > 0);
        Assert.Equal("10", await page.GetAttributeAsync("meta[http-equiv=refresh]", "content"));
        await page.ScreenshotAsync(new() { Path = AccountConsoleTests.Screenshot("overview"), FullPage = true });
    }

    [Fact]
    public async Task The_orleans_dashboard_opens_for_an_operator_and_not_for_an_auditor()
    {
        await using var operatorSession = await console.NewSessionAsync();
        var page = await AccountConsoleTests.SignInAsync(operatorSession, console.Operator);
        await page.ClickAsync("text=Orleans dashboard");
        Assert.Equal(200, (await operatorSession.APIRequest.GetAsync("/console/dashboard/")).Status);

        await using var auditorSession = await console.NewSessionAsync();
        var auditorPage = await AccountConsoleTests.SignInAsync(auditorSession, console.Auditor);
        Assert.Equal(0, await auditorPage.Locator("text=Orleans dashboard").CountAsync());
        Assert.Equal(403, (await auditorSession.APIRequest.GetAsync("/console/dashboard/")).Status);
    }
}
