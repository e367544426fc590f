using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Parsing;

namespace ReputationGrid.Api.Endpoints;

/// <summary><c>POST /v1/events</c>: a batch of events, recorded by <see cref="EventIngestion"/>.</summary>
internal static class EventsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest request, AccountGrains accounts, IOptions<GatewayOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        var (document, problem) = await RequestBody.ReadAsync(request, limits.MaxRequestBodyBytes);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object
                || !body.TryGetProperty("events", out var events)
                || events.ValueKind != JsonValueKind.Array)
            {
                return Problems.Field("events", "events: is required and must be an array of events");
            }

            var count = events.GetArrayLength();
            if (count > limits.MaxEventsPerRequest)
            {
                return Problems.Field("events", EventIngestion.TooMany(limits.MaxEventsPerRequest, count));
            }

            var ingested = await EventIngestion.IngestAsync(accounts, events, new EventClock(time.GetUtcNow(), limits.MaxFutureSkew));
            return ingested is null
                ? GrainFailures.Unavailable(request.HttpContext, EventIngestion.NothingRecorded)
                : Results.Json(ingested, GatewayJsonContext.Default.IngestResponse);
        }
    }
}
