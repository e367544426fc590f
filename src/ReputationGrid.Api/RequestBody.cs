using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ReputationGrid.Api;

/// <summary>Reads a request body as JSON within the configured size limit, or explains why it cannot.</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>
    /// Reads the body: the document, which the caller disposes, or the problem to answer with. Each endpoint reads and
    /// answers in one method: a callback per request cost the send check a twentieth of its allocations.
    /// </summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            return (await JsonDocument.ParseAsync(request.Body, DocumentOptions, request.HttpContext.RequestAborted), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("The body is not valid JSON.", e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
    }

    private static IResult TooLarge(long maxBytes) =>
        Problems.BadRequest("The body is too large.", $"Request bodies are limited to {maxBytes} bytes; split the batch.");
}

/// <summary>RFC 9457 problem details for the gateway's own errors.</summary>
internal static class Problems
{
    public static IResult BadRequest(string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>A 400 that names the offending field in <c>errors</c>, as ASP.NET Core's validation problems do.</summary>
    public static IResult Field(string field, string error) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] }, title: "The request is invalid.", detail: error);
}
