using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using ReputationGrid.Api.Grpc;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;

namespace ReputationGrid.Api;

/// <summary>
/// A request body read whole into a pooled buffer before the request takes one of the gateway's slots, so that a body
/// trickling in holds a connection but never a slot (see <see cref="LoadShedding"/>). Disposing returns the buffer.
/// </summary>
internal sealed class BufferedBody(byte[] buffer, int length) : IDisposable
{
    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}

/// <summary>Reads request bodies within the configured size limit, or answers why it cannot.</summary>
internal static class RequestBody
{
    private const int GrpcFrameHeaderBytes = 5;
    private const string GrpcContentType = "application/grpc";

    private static readonly FrozenDictionary<string, MessageParser> GrpcRequestParsers = Reputation.Descriptor.Methods
        .ToFrozenDictionary(method => $"/{Reputation.Descriptor.FullName}/{method.Name}", method => method.InputType.Parser, StringComparer.Ordinal);

    /// <summary>
    /// Reads the body of a JSON or gRPC request whole, before the request is served; other requests keep theirs (a JSON
    /// endpoint answers them with 415 unread). Proceed is false when the request has been answered (413, a malformed
    /// gRPC message) or its client is gone; the body is null when the request has none to read.
    /// </summary>
    public static async ValueTask<(bool Proceed, BufferedBody? Body)> BufferAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        var grpc = request.ContentType?.StartsWith(GrpcContentType, StringComparison.Ordinal) == true;
        if (request.ContentLength == 0
            || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }
            || !(grpc || HasJsonContentType(request)))
        {
            return (true, null);
        }

        var limit = grpc ? maxBytes + GrpcFrameHeaderBytes : maxBytes;
        if (request.ContentLength > limit)
        {
            await AnswerTooLargeAsync(context, maxBytes, grpc);
            return (false, null);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limit;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 4096, limit) + 1);
        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    await AnswerTooLargeAsync(context, maxBytes, grpc);
                    return (false, null);
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await AnswerTooLargeAsync(context, maxBytes, grpc);
            return (false, null);
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // Too slow (Kestrel cuts the connection), cut off or abandoned: there is nobody left to answer.
            ArrayPool<byte>.Shared.Return(buffer);
            return (false, null);
        }

        var body = new BufferedBody(buffer, length);
        if (grpc && MalformedGrpcMessage(request.Path, body.Span) is { } problem)
        {
            body.Dispose();
            context.RequestServices.GetRequiredService<MalformedRequests>().Report(context, problem);
            GrpcFailures.TryWriteStatus(context, StatusCode.InvalidArgument, problem);
            return (false, null);
        }

        if (grpc)
        {
            // The gRPC framework reads the request from the body stream.
            request.Body = new MemoryStream(buffer, 0, length, writable: false);
        }

        context.Features.Set(body);
        return (true, body);
    }

    /// <summary>
    /// The body of a JSON request read by <paramref name="contract"/>, or the problem to answer with: 415 for a body that
    /// is not <c>application/json</c>, 400 for one that is not valid JSON or text (logged, rate-limited).
    /// </summary>
    public static WireFields? Read(HttpRequest request, WireContract contract, AccountIds ids, out IResult? problem)
    {
        if (!IsJson(request, out problem))
        {
            return null;
        }

        var fields = contract.Read(ids, Of(request));
        if (fields.Error is not null)
        {
            problem = Problems.Field(fields.ErrorField!, fields.Error);
            ReportIfMalformed(request, fields);
        }

        return fields;
    }

    /// <summary>
    /// Whether the request says its body is JSON: the types clients send are compared as strings, and only others are
    /// parsed, as ASP.NET Core parses them, which costs a header object each time it is asked.
    /// </summary>
    private static bool HasJsonContentType(HttpRequest request) =>
        request.ContentType is "application/json" or "application/json; charset=utf-8" || request.HasJsonContentType();

    /// <summary>False, with a 415 to answer, when the request does not say its body is JSON.</summary>
    public static bool IsJson(HttpRequest request, out IResult? problem)
    {
        if (HasJsonContentType(request))
        {
            problem = null;
            return true;
        }

        problem = Results.Problem(
            title: "The body must be JSON.",
            detail: "Send the body as application/json.",
            statusCode: StatusCodes.Status415UnsupportedMediaType);
        return false;
    }

    /// <summary>The buffered body of a JSON request (empty when it had none).</summary>
    public static ReadOnlySpan<byte> Of(HttpRequest request) => request.HttpContext.Features.Get<BufferedBody>() is { } body ? body.Span : [];

    /// <summary>Logs a body that is not valid JSON or text: senders that work never send one, so each is worth a line.</summary>
    public static void ReportIfMalformed(HttpRequest request, WireFields fields)
    {
        if (fields.InvalidText || fields.ErrorField == "body")
        {
            request.HttpContext.RequestServices.GetRequiredService<MalformedRequests>().Report(request.HttpContext, fields.Error!);
        }
    }

    private static async Task AnswerTooLargeAsync(HttpContext context, long maxBytes, bool grpc)
    {
        var detail = $"Request bodies are limited to {maxBytes} bytes; split the batch.";
        context.RequestServices.GetRequiredService<MalformedRequests>().Report(context, detail);
        if (grpc)
        {
            GrpcFailures.TryWriteStatus(context, StatusCode.ResourceExhausted, detail);
            return;
        }

        if (HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            // The rest of the body is not read: the connection cannot carry another request after this answer.
            context.Response.Headers.Connection = "close";
        }

        await Results.Problem(title: "The body is too large.", detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
    }

    /// <summary>
    /// What is wrong with a unary gRPC request, or null when it is one well-formed message of its method (or a method the
    /// gRPC framework answers itself). Checked here because the framework answers a message it cannot parse with
    /// UNKNOWN and an error log, as if the gateway had failed.
    /// </summary>
    private static string? MalformedGrpcMessage(PathString path, ReadOnlySpan<byte> body)
    {
        if (!GrpcRequestParsers.TryGetValue(path.Value ?? "", out var parser))
        {
            return null;
        }

        if (body.Length < GrpcFrameHeaderBytes || body[0] > 1
            || BinaryPrimitives.ReadUInt32BigEndian(body[1..GrpcFrameHeaderBytes]) != body.Length - GrpcFrameHeaderBytes)
        {
            return "The request is not one length-prefixed gRPC message.";
        }

        if (body[0] == 1)
        {
            return null; // compressed: the framework decompresses it, or refuses an unknown encoding
        }

        try
        {
            parser.ParseFrom(body[GrpcFrameHeaderBytes..]);
            return null;
        }
        catch (InvalidProtocolBufferException e)
        {
            return $"The request message is not valid: {e.Message}";
        }
    }
}

/// <summary>RFC 9457 problem details for the gateway's own errors.</summary>
internal static class Problems
{
    /// <summary>A 400 that names the offending field in <c>errors</c>, as ASP.NET Core's validation problems do.</summary>
    public static IResult Field(string field, string error) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] }, title: "The request is invalid.", detail: error);
}
