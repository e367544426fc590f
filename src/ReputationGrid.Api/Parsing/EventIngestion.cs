using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Parsing;

/// <summary>
/// Records a batch of events for the HTTP and gRPC APIs alike: validates each event on its own, records
/// the valid ones per account (in order, accounts in parallel) and reports exactly which were not
/// recorded and why.
/// </summary>
internal static class EventIngestion
{
    public const string NothingRecorded = "No event could be recorded; the cluster is unavailable. Retry the whole batch.";

    public static string TooMany(int limit, int count) => $"events: at most {limit} events per request, got {count}";

    /// <summary>The outcome per event, or null when valid events were sent but none could be recorded.</summary>
    /// <param name="events">Each event as <see cref="WireContract.Event"/> read it.</param>
    public static async Task<IngestResponse?> IngestAsync(AccountGrains accounts, IReadOnlyList<WireFields> events, EventClock clock)
    {
        var rejected = new List<RejectedEvent>();
        var byAccount = new Dictionary<string, List<(int Index, AccountEvent Event)>>(StringComparer.Ordinal);
        for (var index = 0; index < events.Count; index++)
        {
            if (EventParser.Parse(events[index], clock, out var error) is { } parsed)
            {
                if (!byAccount.TryGetValue(parsed.Account, out var list))
                {
                    byAccount[parsed.Account] = list = [];
                }

                list.Add((index, parsed.Event));
            }
            else
            {
                rejected.Add(new RejectedEvent(index, error!));
            }
        }

        var failures = await Task.WhenAll(byAccount.Select(group => RecordAsync(accounts, group.Key, group.Value)));
        var unrecorded = failures.SelectMany(f => f).ToList();
        var valid = events.Count - rejected.Count;
        // Only an unavailable cluster is a reason to retry the whole batch; events refused for what they say are answered.
        if (valid > 0 && unrecorded.Count == valid && unrecorded.All(e => e.Retryable))
        {
            return null;
        }

        rejected.AddRange(unrecorded);
        rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new IngestResponse(valid - unrecorded.Count, rejected);
    }

    /// <summary>Records one account's events; on failure, returns them all as not recorded.</summary>
    private static async Task<IEnumerable<RejectedEvent>> RecordAsync(AccountGrains accounts, string account, List<(int Index, AccountEvent Event)> events)
    {
        try
        {
            await accounts.Get(account).RecordAsync([.. events.Select(e => e.Event)]);
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
