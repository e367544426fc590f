using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace ReputationGrid.Api.Grpc;

/// <summary>
/// Maps failures of grain calls to gRPC as <see cref="GrainFailures"/> does to HTTP: a cluster or storage
/// that is unavailable gives UNAVAILABLE with a <c>retry-after-seconds</c> trailer, anything else INTERNAL.
/// </summary>
internal sealed partial class GrpcFailures(ILogger<GrpcFailures> logger) : Interceptor
{
    public static RpcException Unavailable(string detail) => new(
        new Status(StatusCode.Unavailable, detail),
        new Metadata { { "retry-after-seconds", GrainFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture) } });

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
