using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ReputationGrid.Api;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Cases;
using ReputationGrid.Api.Evidence;
using ReputationGrid.Contracts;
using ReputationGrid.OperatorConsole.Session;

namespace ReputationGrid.OperatorConsole.Pages.Console;

/// <summary>
/// One case (each view audited): its accounts, entities, notes and evidence, its history; adding to it, and its signed
/// evidence export (audited), through the same services as the HTTP API's.
/// </summary>
public sealed class CaseModel(
    CaseService cases,
    CaseInput input,
    EvidenceExporter exporter,
    EvidenceSigner signer,
    IOptions<EvidenceGatewayOptions> evidence,
    IOptions<GatewayOptions> gateway,
    TimeProvider time) : PageModel
{
    /// <summary>History entries shown, newest first.</summary>
    public const int HistorySize = 50;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    /// <summary>Set after a change was made (the page is shown again by redirect).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public CaseView? View { get; private set; }

    public AuditPage History { get; private set; } = new([], null);

    public string? Error { get; private set; }

    public bool MayEdit => HttpContext.May(ApiPolicies.EditCases);

    public bool MayExport => HttpContext.May(ApiPolicies.ExportCases);

    public bool CanSign => signer.CanSign;

    public long MaxFileBytes => evidence.Value.MaxFileBytes;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Identifiers.IsValid(Id))
        {
            Error = $"A case id is {Identifiers.Rule}.";
            return Page();
        }

        View = await cases.ViewAsync(HttpContext, Id);
        if (View is null)
        {
            Error = $"There is no case '{Id}'.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        History = await cases.ReadHistoryAsync(Id, null, HistorySize);
        return Page();
    }

    /// <summary>Adds an account (its id) or an entity (<c>kind/id</c>) typed on the case's page.</summary>
    public Task<IActionResult> OnPostAddMemberAsync(string? kind, string? member) =>
        EditAsync($"added {kind}", () => CaseForms.AddMemberAsync(HttpContext, cases, input, Id, kind, member));

    public Task<IActionResult> OnPostAddNoteAsync(string? text) =>
        EditAsync("added note", async () => input.Note(text, out var error) is { } note
            ? CaseForms.Problem(await cases.AddNoteAsync(HttpContext, Id, note), Id)
            : error);

    /// <summary>An item of off-platform evidence: a file or a link, where it was found and when it was seen (UTC).</summary>
    public Task<IActionResult> OnPostAddEvidenceAsync(string? source, string? seenAt, string? description, string? link, IFormFile? file) =>
        EditAsync("added evidence", async () =>
        {
            DateTimeOffset? seen = null;
            if (CaseForms.Blank(seenAt) is { } text && (seen = FormTime.Read(text)) is null)
            {
                return "seenAt: give a date and time.";
            }

            byte[]? bytes = null;
            if (file is { Length: > 0 })
            {
                using var content = new MemoryStream();
                await file.CopyToAsync(content);
                bytes = content.ToArray();
            }

            var latest = time.GetUtcNow() + gateway.Value.MaxFutureSkew;
            var item = input.Evidence(
                CaseForms.Blank(source), seen, CaseForms.Blank(description), CaseForms.Blank(link),
                bytes is null ? null : Path.GetFileName(file!.FileName), bytes is null ? null : CaseForms.Blank(file!.ContentType),
                bytes, MaxFileBytes, latest, out var error);
            return item is { } valid ? CaseForms.Problem(await cases.AddEvidenceAsync(HttpContext, Id, valid.Item, valid.File), Id) : error;
        });

    /// <summary>The case's signed evidence export, the same ZIP as <c>GET /v1/cases/{id}/export</c> (audited).</summary>
    public async Task<IActionResult> OnPostExportAsync()
    {
        if (!MayExport)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!signer.CanSign)
        {
            return await ShowAsync("Evidence exports are not configured: the gateway has no signing key (Evidence:SigningKeyPath).");
        }

        return Identifiers.IsValid(Id) && await exporter.ExportAsync(HttpContext, Id) is { } export
            ? File(export.Zip, "application/zip", export.FileName)
            : await ShowAsync($"There is no case '{Id}'.");
    }

    /// <summary>An evidence item's attached file (audited), always as a download, so that the browser never renders it.</summary>
    public async Task<IActionResult> OnGetFileAsync(int number) =>
        Identifiers.IsValid(Id) && await cases.ReadFileAsync(HttpContext, Id, number) is { } file
            ? File(file, "application/octet-stream", $"evidence-{number}")
            : NotFound();

    private async Task<IActionResult> EditAsync(string done, Func<Task<string?>> change)
    {
        if (!MayEdit)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!Identifiers.IsValid(Id))
        {
            return await ShowAsync($"A case id is {Identifiers.Rule}.");
        }

        return await change() is { } error ? await ShowAsync(error) : Redirect(CaseForms.Done(Id, done));
    }

    /// <summary>The case again, with what went wrong.</summary>
    private async Task<IActionResult> ShowAsync(string error)
    {
        await OnGetAsync();
        Error ??= error;
        return Page();
    }
}
