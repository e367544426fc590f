using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Cases;
using ReputationGrid.Api.Evidence;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>
/// Cases under <c>/v1/cases</c>: open, list, view (audited), add and remove accounts and entities, add notes and
/// evidence items, export (audited). Each request is validated here and carried out by the <see cref="CaseService"/> or
/// the <see cref="EvidenceExporter"/>.
/// </summary>
internal static class CasesEndpoint
{
    public static async Task<IResult> OpenAsync(HttpRequest request, CaseService cases, AccountIds ids)
    {
        var fields = RequestBody.Read(request, WireContract.CaseOpen, ids, out var problem);
        if (problem is not null)
        {
            return problem;
        }

        if (CaseRequests.Open(fields!) is not { } open)
        {
            return Problems.Field(fields!.ErrorField!, fields.Error!);
        }

        var change = await cases.OpenAsync(request.HttpContext, open.Name, open.Description);
        return change.Case is { } opened
            ? Results.Json(CaseResponse.From(opened), GatewayJsonContext.Default.CaseResponse, statusCode: StatusCodes.Status201Created)
            : Answer(change);
    }

    public static async Task<IResult> ListAsync(HttpRequest request, CaseService cases)
    {
        var (page, problem) = PageQuery.Read(request.Query);
        if (problem is not null)
        {
            return problem;
        }

        var list = await cases.ListAsync(page.Before, page.Limit);
        return Results.Json(CaseListResponse.From(list), GatewayJsonContext.Default.CaseListResponse);
    }

    public static async Task<IResult> GetAsync(string id, HttpRequest request, CaseService cases)
    {
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        return await cases.ViewAsync(request.HttpContext, id) is { } view
            ? Results.Json(CaseResponse.From(view), GatewayJsonContext.Default.CaseResponse)
            : NotFound(id);
    }

    public static async Task<IResult> AddAccountAsync(string id, HttpRequest request, CaseService cases, AccountIds ids)
    {
        if (Read(id, request, WireContract.CaseAccount, ids, CaseRequests.AccountId, out var account) is { } problem)
        {
            return problem;
        }

        return Answer(await cases.AddMemberAsync(request.HttpContext, id, CaseMemberKind.Account, account!), id);
    }

    public static async Task<IResult> RemoveAccountAsync(string id, string account, HttpRequest request, CaseService cases, AccountIds ids)
    {
        if (!Identifiers.IsValid(id) || !Identifiers.IsValid(account))
        {
            return InvalidId();
        }

        return Answer(await cases.RemoveMemberAsync(request.HttpContext, id, CaseMemberKind.Account, ids.Stored(account)), id);
    }

    public static async Task<IResult> AddEntityAsync(string id, HttpRequest request, CaseService cases, AccountIds ids)
    {
        if (Read(id, request, WireContract.CaseEntity, ids, CaseRequests.EntityKey, out var entity) is { } problem)
        {
            return problem;
        }

        return Answer(await cases.AddMemberAsync(request.HttpContext, id, CaseMemberKind.Entity, entity!), id);
    }

    public static async Task<IResult> RemoveEntityAsync(string id, string kind, string entity, HttpRequest request, CaseService cases)
    {
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        if (EntityOperations.Key(kind, entity) is not { } key)
        {
            return EntitiesEndpoint.InvalidEntity();
        }

        return Answer(await cases.RemoveMemberAsync(request.HttpContext, id, CaseMemberKind.Entity, key), id);
    }

    public static async Task<IResult> AddNoteAsync(string id, HttpRequest request, CaseService cases, AccountIds ids)
    {
        if (Read(id, request, WireContract.CaseNote, ids, CaseRequests.NoteText, out var text) is { } problem)
        {
            return problem;
        }

        return Answer(await cases.AddNoteAsync(request.HttpContext, id, text!), id);
    }

    public static async Task<IResult> AddEvidenceAsync(
        string id, HttpRequest request, CaseService cases, AccountIds ids, IOptions<EvidenceGatewayOptions> evidence, IOptions<GatewayOptions> gateway, TimeProvider time)
    {
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        var fields = RequestBody.Read(request, WireContract.EvidenceItem, ids, out var problem);
        if (problem is not null)
        {
            return problem;
        }

        var latest = time.GetUtcNow() + gateway.Value.MaxFutureSkew;
        if (CaseRequests.Evidence(fields!, evidence.Value.MaxFileBytes, latest, out var tooLarge) is not { } parsed)
        {
            return tooLarge
                ? Results.Problem(title: "The file is too large.", detail: fields!.Error, statusCode: StatusCodes.Status413PayloadTooLarge)
                : Problems.Field(fields!.ErrorField!, fields.Error!);
        }

        var change = await cases.AddEvidenceAsync(request.HttpContext, id, parsed.Item, parsed.File);
        return change.Case is { } view
            ? Results.Json(EvidenceItemResponse.From(view.Evidence[^1]), GatewayJsonContext.Default.EvidenceItemResponse, statusCode: StatusCodes.Status201Created)
            : Answer(change, id);
    }

    /// <summary>
    /// <c>GET /v1/cases/{id}/evidence/{number}</c>: an item's attached file (audited), always as a download of
    /// <c>application/octet-stream</c>, so that a browser never renders what an investigator uploaded.
    /// </summary>
    public static async Task<IResult> ReadFileAsync(string id, int number, HttpRequest request, CaseService cases)
    {
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        if (await cases.ReadFileAsync(request.HttpContext, id, number) is not { } file)
        {
            return Results.Problem(title: "No such file.", detail: $"Case '{id}' has no evidence item {number} with a file.", statusCode: StatusCodes.Status404NotFound);
        }

        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(file, "application/octet-stream", $"evidence-{number}");
    }

    /// <summary><c>GET /v1/cases/{id}/export</c>: the case's signed evidence export, one ZIP file (audited).</summary>
    public static async Task<IResult> ExportAsync(string id, HttpRequest request, EvidenceExporter exporter, EvidenceSigner signer)
    {
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        if (!signer.CanSign)
        {
            return Results.Problem(
                title: "Evidence exports are not configured.",
                detail: "An export is signed, and no signing key is configured: set Evidence:SigningKeyPath to a PEM file holding an ECDSA P-256 private key.",
                statusCode: StatusCodes.Status501NotImplemented);
        }

        return await exporter.ExportAsync(request.HttpContext, id) is { } export
            ? Results.File(export.Zip, "application/zip", export.FileName)
            : NotFound(id);
    }

    /// <summary>Checks the case id and reads a one-field body; the problem to answer with, or null and the value.</summary>
    private static IResult? Read(string id, HttpRequest request, WireContract contract, AccountIds ids, Func<WireFields, string?> parse, out string? value)
    {
        value = null;
        if (!Identifiers.IsValid(id))
        {
            return InvalidId();
        }

        var fields = RequestBody.Read(request, contract, ids, out var problem);
        if (problem is not null)
        {
            return problem;
        }

        value = parse(fields!);
        return value is null ? Problems.Field(fields!.ErrorField!, fields.Error!) : null;
    }

    private static IResult Answer(CaseChange change, string? id = null) => change switch
    {
        { Case: { } view } => Results.Json(CaseResponse.From(view), GatewayJsonContext.Default.CaseResponse),
        { Error: { } error } => Problems.Field(error[..error.IndexOf(':')], error),
        _ => NotFound(id!),
    };

    internal static IResult NotFound(string id) =>
        Results.Problem(title: "No such case.", detail: $"There is no case '{id}'.", statusCode: StatusCodes.Status404NotFound);

    internal static IResult InvalidId() => Problems.Field("id", $"id: must be {Identifiers.Rule}");
}
