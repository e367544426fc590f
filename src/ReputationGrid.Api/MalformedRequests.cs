using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReputationGrid.Api;

/// <summary>
/// Logs requests whose body could not be read at all (not JSON, not valid text, too large, not a gRPC message): one
/// short line each, at most one a second, the next line counting those left out, so that a flood of garbage cannot
/// flood the logs.
/// </summary>
internal sealed partial class MalformedRequests(ILogger<MalformedRequests> logger, TimeProvider time)
{
    private long _nextLineTicks;
    private long _leftOut;

    public void Report(HttpContext context, string problem)
    {
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextLineTicks);
        if (now < next || Interlocked.CompareExchange(ref _nextLineTicks, now + TimeSpan.TicksPerSecond, next) != next)
        {
            Interlocked.Increment(ref _leftOut);
            return;
        }

        LogMalformed(context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", Truncated(problem), Interlocked.Exchange(ref _leftOut, 0));
    }

    private static string Truncated(string problem) => problem.Length <= 200 ? problem : problem[..200];

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a malformed request to {Path} from {Address}: {Problem} ({LeftOut} more not logged since the last line).")]
    private partial void LogMalformed(string path, string address, string problem, long leftOut);
}
