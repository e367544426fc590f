using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReputationGrid.Api;

/// <summary>
/// Maps failures of grain calls to HTTP: a cluster or storage that is unavailable gives 503 with
/// Retry-After (the front-end decides whether to fail open or closed), anything else a 500; both as
/// problem details. A caller never gets a made-up decision.
/// </summary>
internal sealed partial class GrainFailures(ILogger<GrainFailures> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutException or OrleansException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>A 503 with a Retry-After header.</summary>
    public static IResult Unavailable(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(
            title: "The service is temporarily unavailable.",
            detail: detail,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = RetryAfterSeconds });
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        IResult result;
        if (exception is BadHttpRequestException badRequest)
        {
            result = Results.Problem(title: "The request could not be read.", detail: badRequest.Message, statusCode: badRequest.StatusCode);
        }
        else if (IsTransient(exception))
        {
            LogUnavailable(exception, context.Request.Path);
            result = Unavailable(context, "The account could not be reached or its state could not be stored. Retry shortly.");
        }
        else
        {
            LogFailed(exception, context.Request.Path);
            result = Results.Problem(title: "The request failed.", statusCode: StatusCodes.Status500InternalServerError);
        }

        await result.ExecuteAsync(context);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Path} failed: the cluster or storage is unavailable.")]
    private partial void LogUnavailable(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Path} failed.")]
    private partial void LogFailed(Exception exception, string path);
}
