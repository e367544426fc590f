using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>
/// <c>POST /v1/events</c>: validates each event on its own, records the valid ones per account (in
/// order, accounts in parallel) and reports exactly which were not recorded and why.
/// </summary>
internal static class EventsEndpoint
{
    public static Task<IResult> HandleAsync(HttpRequest request, IGrainFactory grains, IOptions<GatewayOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        return RequestBody.HandleAsync(request, limits.MaxRequestBodyBytes, async body =>
        {
            if (body.ValueKind != JsonValueKind.Object
                || !body.TryGetProperty("events", out var events)
                || events.ValueKind != JsonValueKind.Array)
            {
                return Problems.Field("events", "events: is required and must be an array of events");
            }

            var count = events.GetArrayLength();
            if (count > limits.MaxEventsPerRequest)
            {
                return Problems.Field("events", $"events: at most {limits.MaxEventsPerRequest} events per request, got {count}");
            }

            var clock = new EventClock(time.GetUtcNow(), limits.MaxFutureSkew);
            var rejected = new List<RejectedEvent>();
            var byAccount = new Dictionary<string, List<(int Index, AccountEvent Event)>>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in events.EnumerateArray())
            {
                if (EventParser.Parse(element, clock, out var error) is { } parsed)
                {
                    Add(byAccount, parsed, index);
                }
                else
                {
                    rejected.Add(new RejectedEvent(index, error!));
                }

                index++;
            }

            var failures = await Task.WhenAll(byAccount.Select(group => RecordAsync(grains, group.Key, group.Value)));
            var unrecorded = failures.SelectMany(f => f).ToList();
            var valid = count - rejected.Count;
            if (valid > 0 && unrecorded.Count == valid)
            {
                return GrainFailures.Unavailable(request.HttpContext, "No event could be recorded; the cluster is unavailable. Retry the whole batch.");
            }

            rejected.AddRange(unrecorded);
            rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
            return Results.Json(new IngestResponse(valid - unrecorded.Count, rejected), GatewayJsonContext.Default.IngestResponse);
        });
    }

    private static void Add(Dictionary<string, List<(int, AccountEvent)>> byAccount, ParsedEvent parsed, int index)
    {
        if (!byAccount.TryGetValue(parsed.Account, out var list))
        {
            byAccount[parsed.Account] = list = [];
        }

        list.Add((index, parsed.Event));
    }

    /// <summary>Records one account's events; on failure, returns them all as not recorded.</summary>
    private static async Task<IEnumerable<RejectedEvent>> RecordAsync(IGrainFactory grains, string account, List<(int Index, AccountEvent Event)> events)
    {
        try
        {
            await grains.GetGrain<IAccountGrain>(account).RecordAsync([.. events.Select(e => e.Event)]);
            return [];
        }
        catch (Exception e)
        {
            var retryable = GrainFailures.IsTransient(e);
            var error = retryable ? "not recorded: the account is temporarily unavailable; send it again" : $"not recorded: {e.Message}";
            return events.Select(item => new RejectedEvent(item.Index, error, retryable));
        }
    }
}
