namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>Signing in to the console at the platform's identity provider (OpenID Connect), with the roles it gives.</summary>
public sealed class IdentityProviderConsoleTests(IdentityProviderConsoleFixture console) : IClassFixture<IdentityProviderConsoleFixture>
{
    [Fact]
    public async Task A_person_signs_in_at_the_identity_provider_and_acts_under_their_own_name_and_role()
    {
        console.Provider.NextPerson = ("maria@platform", ["operator", "not-a-role"]);
        await using var session = await console.NewSessionAsync();
        var page = await session.NewPageAsync();
        await page.GotoAsync("/console/cases");
        await page.ClickAsync("#signin-idp");
        await page.ArrivesAtAsync("/console/cases");

        Assert.Equal("maria@platform (operator)", await page.TextContentAsync("header .who"));
        await page.FillAsync("#case-name", "Opened by a person");
        await page.ClickAsync("#open-case-button");
        await page.ArrivesAtAsync("?done=opened");
        Assert.Contains("by maria@platform", await page.TextContentAsync("main dl.facts"));
        Assert.Equal(0, await page.Locator("#export-case").CountAsync()); // an operator does not export
    }

    [Fact]
    public async Task A_person_without_a_console_role_is_refused()
    {
        console.Provider.NextPerson = ("frontend-service", ["sender"]);
        await using var session = await console.NewSessionAsync();
        var page = await session.NewPageAsync();
        await page.GotoAsync("/console");
        await page.ClickAsync("#signin-idp");
        await page.ArrivesAtAsync("/console/signin?refused=idp");

        Assert.Contains("no role that may use the console", await page.TextContentAsync("[role=alert]"));
        Assert.DoesNotContain(await session.CookiesAsync(), cookie => cookie.Name == "rg-console");
        var overview = await page.GotoAsync("/console");
        Assert.Contains("/console/signin", overview!.Url);
    }
}
