using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ReputationGrid.Api.Tests;

/// <summary>Malformed requests are logged one short line each, at most one a second, the next line counting those left out.</summary>
public sealed class MalformedRequestsTests
{
    [Fact]
    public void A_flood_of_malformed_requests_logs_one_line_a_second_counting_the_rest()
    {
        var logger = new FakeLogger<MalformedRequests>();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        var malformed = new MalformedRequests(logger, clock);
        var context = new DefaultHttpContext();
        context.Request.Path = "/v1/events";

        for (var i = 0; i < 50; i++)
        {
            malformed.Report(context, $"body: is not valid JSON at line 1, byte {i} " + new string('x', 1000));
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        malformed.Report(context, "body: must be a JSON object");

        var lines = logger.Collector.GetSnapshot();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal(LogLevel.Information, line.Level));
        Assert.All(lines, line => Assert.True(line.Message.Length < 400, line.Message));
        Assert.Contains("(0 more not logged", lines[0].Message);
        Assert.Contains("body: must be a JSON object (49 more not logged", lines[1].Message);
    }
}
