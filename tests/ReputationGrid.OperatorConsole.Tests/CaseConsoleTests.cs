using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using ReputationGrid.Api.Evidence;
using ReputationGrid.Testing.Apis;

namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>An investigation in a real browser: build a case from the console, export it as an auditor, and verify the export offline.</summary>
public sealed class CaseConsoleTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Where the downloaded exports go: kept with the test output, like the screenshots.</summary>
    private static string Exports { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "exports")).FullName;

    [Fact]
    public async Task An_operator_builds_a_case_and_an_auditor_exports_it_and_the_export_verifies()
    {
        var account = $"case-farm-{Guid.NewGuid():N}"[..22];
        using (var sender = console.Api(console.Sender))
        {
            await BurstOverApis.OverHttpAsync(sender, account, Cancellation);
        }

        // The operator opens a case, adds the abusive account from its page, a note and an advertisement as evidence.
        await using var operatorSession = await console.NewSessionAsync();
        var page = await AccountConsoleTests.SignInAsync(operatorSession, console.Operator);
        await page.ClickAsync("header nav >> text=Cases");
        await page.FillAsync("#case-name", "Bulk sender farm");
        await page.FillAsync("#case-description", "Accounts of a company that sells bulk messaging past the limits.");
        await page.ClickAsync("#open-case-button");
        await page.ArrivesAtAsync("?done=opened");
        var caseId = (await page.TextContentAsync("#case-id"))!;

        await page.GotoAsync($"/console/account/{account}");
        await page.SelectOptionAsync("#add-to-case-id", caseId);
        await page.ClickAsync("#add-to-case-button");
        await page.ArrivesAtAsync("?done=added%20account");
        Assert.Equal(account, await page.Locator("#case-accounts tbody td a").TextContentAsync());

        await page.FillAsync("#note-text", "The advert below names this account's number.");
        await page.ClickAsync("#add-note");
        await page.ArrivesAtAsync("?done=added%20note");
        var noteCells = await page.Locator("#case-notes tbody tr td").AllTextContentsAsync();
        Assert.Equal(["ops-alice", "The advert below names this account's number."], noteCells.Skip(1));

        var advert = Encoding.UTF8.GetBytes("<p>10,000 messages a day, no limits, no bans.</p>");
        await page.FillAsync("#evidence-source", "the company's public website");
        await page.FillAsync("#evidence-seen", "2026-11-20T09:30");
        await page.FillAsync("#evidence-description", "Advertisement of bulk messaging past the platform's limits");
        await page.SetInputFilesAsync("#evidence-file", new FilePayload { Name = "advert.html", MimeType = "text/html", Buffer = advert });
        await page.ClickAsync("#add-evidence");
        await page.ArrivesAtAsync("?done=added%20evidence");
        var evidenceCells = await page.Locator("#case-evidence tbody tr td").AllTextContentsAsync();
        Assert.Equal("2026-11-20 09:30:00 UTC", evidenceCells[2]);
        Assert.Contains("ops-alice", evidenceCells[3]);
        Assert.StartsWith("advert.html", evidenceCells[4].Trim());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(advert)), evidenceCells[5]);
        await page.ScreenshotAsync(new() { Path = AccountConsoleTests.Screenshot("case"), FullPage = true });

        // An operator may build cases but not export them: no button, and a forged post is refused.
        Assert.Equal(0, await page.Locator("#export-case").CountAsync());
        var token = await page.GetAttributeAsync("input[name=__RequestVerificationToken]", "value");
        var forged = await operatorSession.APIRequest.PostAsync($"/console/cases/{caseId}?handler=Export", new()
        {
            Form = operatorSession.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!),
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, forged.Status);

        // At phone width the case page still fits.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        await page.GotoAsync("/console/cases");
        await page.SetViewportSizeAsync(1280, 800);
        await page.ScreenshotAsync(new() { Path = AccountConsoleTests.Screenshot("cases"), FullPage = true });

        // The auditor reads the case (no forms to change it) and downloads the export.
        await using var auditorSession = await console.NewSessionAsync();
        var auditorPage = await AccountConsoleTests.SignInAsync(auditorSession, console.Auditor);
        await auditorPage.GotoAsync($"/console/cases/{caseId}");
        Assert.Equal(0, await auditorPage.Locator("#add-note, #add-evidence, #add-member").CountAsync());
        var download = await auditorPage.RunAndWaitForDownloadAsync(() => auditorPage.ClickAsync("#export-case"));
        var exportPath = Path.Combine(Exports, $"{caseId}-export.zip");
        await download.SaveAsAsync(exportPath);
        Assert.EndsWith(".zip", download.SuggestedFilename);

        // The same verifier as `reputationgrid evidence verify`, with the gateway's public key.
        var publicKeyPath = Path.Combine(Exports, "evidence-public-key.pem");
        await File.WriteAllTextAsync(publicKeyPath, console.EvidencePublicKeyPem, Cancellation);
        var (verified, report) = Verify(exportPath, publicKeyPath);
        Assert.True(verified == 0, report);

        using (var zip = ZipFile.OpenRead(exportPath))
        {
            using var caseJson = JsonDocument.Parse(zip.GetEntry("case.json")!.Open());
            var exported = caseJson.RootElement;
            Assert.Equal(account, exported.GetProperty("accounts")[0].GetProperty("id").GetString());
            Assert.Equal("The advert below names this account's number.", exported.GetProperty("notes")[0].GetProperty("text").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(advert)), exported.GetProperty("evidence")[0].GetProperty("sha256").GetString());
        }

        // A tampered copy (one note changed inside the ZIP) fails verification.
        var tamperedPath = Path.Combine(Exports, $"{caseId}-tampered.zip");
        File.Copy(exportPath, tamperedPath, overwrite: true);
        using (var zip = ZipFile.Open(tamperedPath, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("case.json")!;
            string text;
            using (var reader = new StreamReader(entry.Open()))
            {
                text = await reader.ReadToEndAsync(Cancellation);
            }

            Assert.Contains("The advert below", text);
            entry.Delete();
            await using var writer = new StreamWriter(zip.CreateEntry("case.json").Open());
            await writer.WriteAsync(text.Replace("The advert below", "The advert above"));
        }

        var (tampered, tamperedReport) = Verify(tamperedPath, publicKeyPath);
        Assert.Equal(1, tampered);
        Assert.Contains("case.json", tamperedReport);

        // The auditor's view and export are in the case's audit trail, as the API records them.
        using var auditor = console.Api(console.Auditor);
        var audit = await auditor.GetFromJsonAsync<JsonElement>($"/v1/audit?case={caseId}", Cancellation);
        var entries = audit.GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("action").GetString())).ToList();
        Assert.Contains(("audit-bob", "case.view"), entries);
        Assert.Contains(("audit-bob", "case.export"), entries);
        Assert.Contains(("ops-alice", "case.add_account"), entries);
        Assert.Contains(("ops-alice", "case.add_note"), entries);
    }

    [Fact]
    public async Task The_console_refuses_a_bad_evidence_item_with_the_apis_reason()
    {
        await using var session = await console.NewSessionAsync();
        var page = await AccountConsoleTests.SignInAsync(session, console.Admin);
        await page.GotoAsync("/console/cases");
        await page.FillAsync("#case-name", "Link and file");
        await page.ClickAsync("#open-case-button");
        await page.ArrivesAtAsync("?done=opened");

        await page.FillAsync("#evidence-source", "a forum post");
        await page.FillAsync("#evidence-seen", "2026-11-21T10:00");
        await page.FillAsync("#evidence-link", "https://forum.example/post/1");
        await page.SetInputFilesAsync("#evidence-file", new FilePayload { Name = "post.txt", MimeType = "text/plain", Buffer = [1, 2, 3] });
        await page.ClickAsync("#add-evidence");

        Assert.Equal("link: give either a link or a file's content, not both", await page.TextContentAsync("[role=alert]"));
        Assert.Equal(0, await page.Locator("#case-evidence").CountAsync());
    }

    /// <summary>Runs <c>evidence verify FILE --public-key PEM</c> as the host's command does: its exit code and what it wrote.</summary>
    private static (int? ExitCode, string Report) Verify(string path, string publicKeyPath)
    {
        using var output = new StringWriter();
        var exitCode = EvidenceCommand.TryRun(["evidence", "verify", path, "--public-key", publicKeyPath], output, output);
        return (exitCode, output.ToString());
    }
}
