using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ReputationGrid.Testing.Apis;

namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>A console over pseudonymous ids (<c>Ids:PseudonymKey</c>).</summary>
public sealed class PseudonymConsoleFixture : ConsoleFixture
{
    protected override ValueTask<IEnumerable<string>> ExtraArgumentsAsync() =>
        ValueTask.FromResult<IEnumerable<string>>(["--Ids:PseudonymKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))]);
}

/// <summary>
/// With pseudonymous ids, the console's views show stored ids (pseudonyms): acting on an account or adding it to a case
/// from its page must reach the account the operator looked up, not the pseudonym of its pseudonym.
/// </summary>
public sealed class PseudonymConsoleTests(PseudonymConsoleFixture console) : IClassFixture<PseudonymConsoleFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_who_looks_up_a_raw_id_bans_that_account_and_adds_it_to_a_case()
    {
        var account = $"pseud-{Guid.NewGuid():N}"[..20];
        using (var sender = console.Api(console.Sender))
        {
            await BurstOverApis.OverHttpAsync(sender, account, Cancellation);
        }

        using var api = console.Api(console.Operator);
        var stored = (await api.GetFromJsonAsync<JsonElement>($"/v1/accounts/{account}", Cancellation)).GetProperty("account").GetString()!;
        Assert.NotEqual(account, stored);

        await using var session = await console.NewSessionAsync();
        var page = await AccountConsoleTests.SignInAsync(session, console.Operator);
        await page.ClickAsync("header nav >> text=Cases");
        await page.FillAsync("#case-name", "Pseudonymous farm");
        await page.ClickAsync("#open-case-button");
        await page.ArrivesAtAsync("?done=opened");
        var caseId = (await page.TextContentAsync("#case-id"))!;

        await page.GotoAsync($"/console/account/{account}");
        await page.CheckAsync("input[name='Action.Command'][value='ban']");
        await page.FillAsync("#action-note", "Part of a farm.");
        await page.ClickAsync("#review-action");
        await page.ClickAsync("#confirm-action");
        await page.ArrivesAtAsync("&done=ban");
        Assert.Equal("ban", await page.TextContentAsync("#account-action"));
        Assert.Equal("ban", (await api.GetFromJsonAsync<JsonElement>($"/v1/accounts/{account}", Cancellation)).GetProperty("action").GetString());

        await page.SelectOptionAsync("#add-to-case-id", caseId);
        await page.ClickAsync("#add-to-case-button");
        await page.ArrivesAtAsync("?done=added%20account");
        Assert.Equal(stored, await page.Locator("#case-accounts tbody td a").TextContentAsync());

        // The case's link leads back to the same account, already named by its stored id.
        await page.ClickAsync("#case-accounts tbody td a");
        await page.ArrivesAtAsync("stored=true");
        Assert.Equal("ban", await page.TextContentAsync("#account-action"));
    }
}
