using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ReputationGrid.Testing.Apis;

namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>The account workflow in a real browser: sign in, find an abusive account, ban it, and what an auditor may not do.</summary>
public sealed class AccountConsoleTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_finds_an_abusive_account_and_bans_it_with_a_note()
    {
        var account = $"farm-{Guid.NewGuid():N}"[..20];
        await MakeAbusiveAsync(account);
        var before = await ReadAccountAsync(account);
        Assert.NotEqual("allow", before.GetProperty("action").GetString());

        await using var session = await console.NewSessionAsync();
        var page = await SignInAsync(session, console.Operator);

        await page.FillAsync("#search-account", account);
        await page.PressAsync("#search-account", "Enter");
        await page.ArrivesAtAsync($"/console/account?id={account}");
        Assert.Equal(before.GetProperty("action").GetString(), await page.TextContentAsync("#account-action"));
        var reasons = before.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.NotEmpty(reasons);
        Assert.Equal(string.Join(", ", reasons), await page.TextContentAsync("#account-reasons"));
        await page.ScreenshotAsync(new() { Path = Screenshot("account"), FullPage = true });

        await page.CheckAsync("input[name='Action.Command'][value='ban']");
        await page.FillAsync("#action-note", "Sends the same flyer to strangers; part of a farm.");
        await page.ClickAsync("#review-action");
        Assert.Contains("Confirm: ban account", await page.TextContentAsync("[role=alert]"));
        await page.ClickAsync("#confirm-action");
        await page.ArrivesAtAsync("&done=ban");

        Assert.Equal("ban", await page.TextContentAsync("#account-action"));
        var newest = page.Locator("#history-table tbody tr").First;
        var cells = await newest.Locator("td").AllTextContentsAsync();
        Assert.Equal(["ban", "ops-alice", "— (manual)", "Sends the same flyer to strangers; part of a farm."], [cells[1], cells[3], cells[4], cells[5]]);
        await page.ScreenshotAsync(new() { Path = Screenshot("account-banned"), FullPage = true });

        // The same path as the API's: the account is banned and the action audited under the operator's name.
        Assert.Equal("ban", (await ReadAccountAsync(account)).GetProperty("action").GetString());
        using var admin = console.Api(console.Auditor);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/v1/audit?account={account}", Cancellation);
        var entry = audit.GetProperty("entries")[0];
        Assert.Equal(("account.ban", "ops-alice"), (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task An_auditor_sees_no_actions_and_the_console_refuses_one()
    {
        var account = $"audited-{Guid.NewGuid():N}"[..20];
        await MakeAbusiveAsync(account);
        await using var session = await console.NewSessionAsync();
        var page = await SignInAsync(session, console.Auditor);
        await page.GotoAsync($"/console/account/{account}");

        Assert.Equal((await ReadAccountAsync(account)).GetProperty("action").GetString(), await page.TextContentAsync("#account-action"));
        Assert.Equal(0, await page.Locator("#review-action").CountAsync());
        Assert.Equal(0, await page.Locator("#confirm-action").CountAsync());

        // A forged post with the auditor's own session and antiforgery token is refused, as the API refuses the key.
        var token = await page.GetAttributeAsync("input[name=__RequestVerificationToken]", "value");
        var posted = await session.APIRequest.PostAsync($"/console/account/{account}?handler=Apply", new()
        {
            Form = session.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!).Set("Action.Command", "ban").Set("Action.Note", "forged"),
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, posted.Status);
        using var auditor = console.Api(console.Auditor);
        using var refused = await auditor.PostAsJsonAsync($"/v1/accounts/{account}/actions", new { action = "ban", note = "forged" }, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var audit = await auditor.GetFromJsonAsync<JsonElement>($"/v1/audit?account={account}", Cancellation);
        Assert.Empty(audit.GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task A_sender_key_cannot_sign_in()
    {
        await using var session = await console.NewSessionAsync();
        var page = await session.NewPageAsync();
        await page.GotoAsync("/console");
        await page.FillAsync("#key", console.Sender.Key);
        await page.ClickAsync("button[type=submit]");

        Assert.Contains("may not use the console", await page.TextContentAsync("[role=alert]"));
        Assert.DoesNotContain(await session.CookiesAsync(), cookie => cookie.Name == "rg-console");
        var overview = await page.GotoAsync("/console");
        Assert.EndsWith("/console/signin?returnUrl=%2Fconsole", overview!.Url);
    }

    [Fact]
    public async Task The_session_cookie_and_headers_keep_scripts_and_other_sites_out()
    {
        await using var session = await console.NewSessionAsync();
        var page = await SignInAsync(session, console.Operator);
        var response = await page.GotoAsync("/console/policy");

        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        var cookie = Assert.Single(await session.CookiesAsync(), c => c.Name == "rg-console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        await page.ClickAsync("header .signout button");
        await page.ArrivesAtAsync("/console/signin");
        Assert.Equal(0, await page.Locator("header .signout").CountAsync());
        Assert.DoesNotContain(await session.CookiesAsync(), c => c.Name == "rg-console");
    }

    [Fact]
    public async Task The_account_page_fits_a_phone_and_works_from_the_keyboard()
    {
        var account = $"phone-{Guid.NewGuid():N}"[..20];
        await MakeAbusiveAsync(account);
        await using var session = await console.NewSessionAsync(width: 390, height: 844);
        var page = await SignInAsync(session, console.Operator);

        // Keyboard only: the skip link first, then the search box is reached by tabbing and submitted with Enter.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        while (await page.EvaluateAsync<string>("document.activeElement.id") != "search-account")
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.TypeAsync(account);
        await page.Keyboard.PressAsync("Enter");
        await page.ArrivesAtAsync($"/console/account?id={account}");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        await page.ScreenshotAsync(new() { Path = Screenshot("account-phone"), FullPage = true });
    }

    public static async Task<IPage> SignInAsync(IBrowserContext session, ConsoleKey key)
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync("/console");
        await page.FillAsync("#key", key.Key);
        await page.ClickAsync("button[type=submit]");
        await page.ArrivesAtAsync("/console");
        return page;
    }

    /// <summary>A new account that registers on a VoIP number and bursts to strangers, through the API as a front-end would.</summary>
    private async Task MakeAbusiveAsync(string account)
    {
        using var sender = console.Api(console.Sender);
        await BurstOverApis.OverHttpAsync(sender, account, Cancellation);
    }

    private async Task<JsonElement> ReadAccountAsync(string account)
    {
        using var reader = console.Api(console.Operator);
        return await reader.GetFromJsonAsync<JsonElement>($"/v1/accounts/{account}", Cancellation);
    }

    public static string Screenshot(string name) => Path.Combine(ConsoleFixture.Screenshots, $"{name}.png");
}
