using System.Globalization;
using System.Net.Http.Json;

namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>Following an account's link to its device, and acting on the device, in a real browser.</summary>
public sealed class EntityConsoleTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task An_operator_follows_an_account_to_its_device_sees_the_accounts_on_it_and_bans_it()
    {
        var device = $"phone-{Guid.NewGuid():N}"[..16];
        string[] accounts = [$"{device}-a", $"{device}-b"];
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        using (var sender = console.Api(console.Sender))
        {
            using var recorded = await sender.PostAsJsonAsync("/v1/events", new
            {
                events = accounts.Select(account => new { type = "account_registered", account, deviceId = device, at = now }),
            }, TestContext.Current.CancellationToken);
            recorded.EnsureSuccessStatusCode();
        }

        await using var session = await console.NewSessionAsync();
        var page = await AccountConsoleTests.SignInAsync(session, console.Operator);
        await page.GotoAsync($"/console/account/{accounts[0]}");
        await page.ClickAsync($"a[href='/console/entity/device/{device}']");

        // The entity hears of its accounts off the send path: the page shows them once it has.
        var listed = page.Locator("#linked-accounts tbody tr");
        for (var reloads = 0; await listed.CountAsync() < accounts.Length; reloads++)
        {
            Assert.True(reloads < 100, "The device never listed both accounts.");
            await page.ReloadAsync();
        }

        Assert.Equal(accounts, (await page.Locator("#linked-accounts tbody tr td:first-child").AllTextContentsAsync()).Order());
        await page.ScreenshotAsync(new() { Path = AccountConsoleTests.Screenshot("entity"), FullPage = true });

        await page.CheckAsync("input[name='Action.Command'][value='ban']");
        await page.FillAsync("#action-note", "One phone, many fresh accounts.");
        await page.ClickAsync("#review-action");
        await page.ClickAsync("#confirm-action");
        await page.ArrivesAtAsync("?done=ban");

        Assert.Equal("yes", await page.TextContentAsync("#entity-banned"));
        var cells = await page.Locator("#history-table tbody tr").First.Locator("td").AllTextContentsAsync();
        Assert.Equal(["ban", "ops-alice", "One phone, many fresh accounts."], cells.Skip(1));
    }
}
