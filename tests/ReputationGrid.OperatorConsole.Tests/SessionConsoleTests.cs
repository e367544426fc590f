using Microsoft.Playwright;

namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>A console session lasts only as long as the key it was opened with stays configured as it was.</summary>
public sealed class SessionConsoleTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Removing_or_re_roling_a_key_ends_its_sessions_at_the_next_request()
    {
        var (removed, reroled) = (console.Changing[0], console.Changing[1]);
        await using var removedSession = await console.NewSessionAsync();
        var removedPage = await AccountConsoleTests.SignInAsync(removedSession, removed);
        await using var reroledSession = await console.NewSessionAsync();
        var reroledPage = await AccountConsoleTests.SignInAsync(reroledSession, reroled);
        await using var otherSession = await console.NewSessionAsync();
        var otherPage = await AccountConsoleTests.SignInAsync(otherSession, console.Operator);

        // The first key is replaced by another (its hash changes), the second becomes an auditor's.
        console.Reconfigure(new()
        {
            [console.KeySetting(removed, "Sha256")] = new ConsoleKey("replacement", "operator").Sha256,
            [console.KeySetting(reroled, "Role")] = "auditor",
        });

        await AssertSignedOutAsync(removedPage, removedSession);
        await AssertSignedOutAsync(reroledPage, reroledSession);
        var still = await otherPage.GotoAsync("/console/cases");
        Assert.EndsWith("/console/cases", still!.Url);
        Assert.Contains("ops-alice", await otherPage.TextContentAsync("header .who"));
    }

    private static async Task AssertSignedOutAsync(IPage page, IBrowserContext session)
    {
        var response = await page.GotoAsync("/console/cases");
        Assert.EndsWith("/console/signin?returnUrl=%2Fconsole%2Fcases", response!.Url);
        Assert.DoesNotContain(await session.CookiesAsync(), cookie => cookie.Name == "rg-console");
    }
}
