using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;

namespace ReputationGrid.Api.Endpoints;

/// <summary><c>POST /v1/events</c>: a batch of events, recorded by <see cref="EventIngestion"/>.</summary>
internal static class EventsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest request, AccountGrains accounts, AccountIds ids, IOptions<GatewayOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        if (!RequestBody.IsJson(request, out var problem))
        {
            return problem!;
        }

        var events = ReadEvents(request, out problem);
        if (events is null)
        {
            return problem!;
        }

        if (events.Count > limits.MaxEventsPerRequest)
        {
            return Problems.Field("events", EventIngestion.TooMany(limits.MaxEventsPerRequest, events.Count));
        }

        var read = new WireFields[events.Count];
        for (var i = 0; i < read.Length; i++)
        {
            read[i] = WireContract.Event.Read(ids, events[i]);
            if (read[i].InvalidText)
            {
                RequestBody.ReportIfMalformed(request, read[i]);
                return Problems.Field($"events[{i}].{read[i].ErrorField}", $"events[{i}].{read[i].Error}");
            }
        }

        var ingested = await EventIngestion.IngestAsync(accounts, read, new EventClock(time.GetUtcNow(), limits));
        return ingested is null
            ? GrainFailures.Unavailable(request.HttpContext, EventIngestion.NothingRecorded)
            : Results.Json(ingested, GatewayJsonContext.Default.IngestResponse);
    }

    private const string EventsRule = "is required and must be an array of events";

    /// <summary>The batch's events, still raw; null with a 400 when the body is not an object with exactly an <c>events</c> array.</summary>
    private static List<JsonElement>? ReadEvents(HttpRequest request, out IResult? problem)
    {
        problem = null;
        try
        {
            if (JsonSerializer.Deserialize(RequestBody.Of(request), WireJsonContext.Default.EventBatchWire)?.Events is { } events)
            {
                return events;
            }
        }
        catch (JsonException e)
        {
            var described = WireContract.Describe(e, name => name == "events" ? EventsRule : null);
            if (described.Field == "body" || described.InvalidText)
            {
                request.HttpContext.RequestServices.GetRequiredService<MalformedRequests>().Report(request.HttpContext, described.Error);
            }

            problem = Problems.Field(described.Field, described.Error);
            return null;
        }

        problem = Problems.Field("events", $"events: {EventsRule}");
        return null;
    }
}
