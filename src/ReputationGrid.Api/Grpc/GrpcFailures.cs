using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReputationGrid.Api.Grpc;

/// <summary>
/// Maps failures of grain calls to gRPC as <see cref="GrainFailures"/> does to HTTP: a cluster or storage
/// that is unavailable gives UNAVAILABLE with a <c>retry-after-seconds</c> trailer, anything else INTERNAL.
/// </summary>
internal sealed partial class GrpcFailures(ILogger<GrpcFailures> logger) : Interceptor
{
    public const string RetryAfterTrailer = "retry-after-seconds";
    private static readonly string RetryAfterValue = GrainFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    public static RpcException Unavailable(string detail) => new(
        new Status(StatusCode.Unavailable, detail),
        new Metadata { { RetryAfterTrailer, RetryAfterValue } });

    /// <summary>
    /// Answers a gRPC request that never reached its service (the gateway shed it) with UNAVAILABLE and the
    /// same trailer, as a trailers-only response: gRPC clients read an HTTP error status as a bare failure.
    /// </summary>
    public static bool TryWriteUnavailable(HttpContext context, string detail)
    {
        if (!TryWriteStatus(context, StatusCode.Unavailable, detail))
        {
            return false;
        }

        context.Response.Headers[RetryAfterTrailer] = RetryAfterValue;
        return true;
    }

    /// <summary>Answers a gRPC request that never reached its service with <paramref name="status"/>, as a trailers-only response.</summary>
    public static bool TryWriteStatus(HttpContext context, StatusCode status, string detail)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            return false;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)status).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(detail);
        return true;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException && GrainFailures.IsTransient(e))
        {
            LogUnavailable(e, context.Method);
            throw Unavailable("The account could not be reached or its state could not be stored. Retry shortly.");
        }
        catch (Exception e) when (e is not RpcException)
        {
            LogFailed(e, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "The request failed."));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "gRPC call {Method} failed: the cluster or storage is unavailable.")]
    private partial void LogUnavailable(Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC call {Method} failed.")]
    private partial void LogFailed(Exception exception, string method);
}
