using System.Globalization;
using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>
/// Labels for training and evaluating models: <c>POST /v1/labels</c> records one, <c>GET /v1/labels/{account}</c>
/// shows an account's labels and feature snapshots, and <c>GET /v1/labels/export</c> pages through every labelled
/// account, newest label first, with its labels and snapshots.
/// </summary>
internal static class LabelsEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static async Task<IResult> PostAsync(HttpRequest request, IGrainFactory grains, AccountIds ids, Callers callers, TimeProvider time)
    {
        var fields = RequestBody.Read(request, WireContract.Label, ids, out var problem);
        if (problem is not null)
        {
            return problem;
        }

        if (RequestParsers.AccountLabel(fields!, time.GetUtcNow(), callers.Actor(request.HttpContext)) is not var (account, label))
        {
            return Problems.Field(fields!.ErrorField!, fields.Error!);
        }

        await grains.GetGrain<ITrainingDataGrain>(account).AddLabelAsync(label);
        return Results.Json(LabelResponse.From(label), GatewayJsonContext.Default.LabelResponse, statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> GetAsync(string account, IGrainFactory grains, AccountIds ids)
    {
        if (!Identifiers.IsValid(account))
        {
            return Problems.Field("account", $"account: must be {Identifiers.Rule}");
        }

        account = ids.Stored(account);
        var evidence = await grains.GetGrain<ITrainingDataGrain>(account).GetAsync();
        return Results.Json(EvidenceResponse.From(account, evidence), GatewayJsonContext.Default.EvidenceResponse);
    }

    /// <summary>A page of the label log (<c>limit</c> labels, older than <c>cursor</c>), as the accounts it names.</summary>
    public static async Task<IResult> ExportAsync(HttpRequest request, IGrainFactory grains)
    {
        var query = request.Query;
        var limit = DefaultLimit;
        if (query.ContainsKey("limit")
            && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return Problems.Field("limit", $"limit: must be a whole number from 1 to {MaxLimit}");
        }

        long? before = null;
        if (query.ContainsKey("cursor"))
        {
            if (!long.TryParse(query["cursor"], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
            {
                return Problems.Field("cursor", "cursor: must be the next value of an earlier page");
            }

            before = cursor;
        }

        var page = await grains.GetGrain<IAuditGrain>(ITrainingDataGrain.LabelLogSubject).ReadAsync(before, limit);
        var accounts = page.Entries.Select(entry => entry.Record.Details["account"]).Distinct(StringComparer.Ordinal).ToArray();
        var evidence = await Task.WhenAll(accounts.Select(account => grains.GetGrain<ITrainingDataGrain>(account).GetAsync()));
        return Results.Json(
            new ExportResponse([.. accounts.Select((account, i) => EvidenceResponse.From(account, evidence[i]))], page.Next),
            GatewayJsonContext.Default.ExportResponse);
    }
}
