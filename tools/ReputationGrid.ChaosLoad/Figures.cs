namespace ReputationGrid.ChaosLoad;

/// <summary>A fault or a repair of the run, as the chaos script logged it: when (Unix milliseconds) and what.</summary>
public readonly record struct FaultEvent(long AtMs, string Name)
{
    /// <summary>Reads lines of <c>UNIX_MS NAME</c>; other lines are ignored.</summary>
    public static List<FaultEvent> Parse(IEnumerable<string> lines)
    {
        var events = new List<FaultEvent>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && long.TryParse(parts[0], out var at))
            {
                events.Add(new FaultEvent(at, parts[1]));
            }
        }

        events.Sort((a, b) => a.AtMs.CompareTo(b.AtMs));
        return events;
    }
}

/// <summary>
/// What the load saw from one event until the next (or the end of the load): the requests that failed, the longest
/// request, how long until every check succeeded again (the end of the last failed check), and how long until the
/// throughput of answered checks was back to the fraction of the baseline (the answered checks per second just before
/// the event) (the end of the first second, sliding by
/// 100 ms from the event, with that many answers; null if none in the phase had).
/// </summary>
public sealed record PhaseFigures(
    FaultEvent Event, long EndMs, double BaselinePerSecond, int Checks, int FailedChecks, int Actions, int FailedActions, int LongestMs, long? AllChecksSucceedAfterMs, long? ThroughputBackAfterMs);

public static class Figures
{
    /// <summary>Answered checks per second over <paramref name="window"/> before <paramref name="eventMs"/>: the throughput the event is measured against.</summary>
    public static double Baseline(IReadOnlyCollection<Request> requests, long eventMs, TimeSpan window)
    {
        var from = eventMs - (long)window.TotalMilliseconds;
        var answered = 0;
        foreach (var request in requests)
        {
            if (request.Kind == RequestKind.Check && request.Answered && request.EndedMs >= from && request.EndedMs < eventMs)
            {
                answered++;
            }
        }

        return answered / window.TotalSeconds;
    }

    /// <summary>Each event's figures, its throughput compared with the <paramref name="baselineWindow"/> just before it.</summary>
    public static List<PhaseFigures> Phases(IReadOnlyCollection<Request> requests, IReadOnlyList<FaultEvent> events, long endMs, TimeSpan baselineWindow, double fraction)
    {
        var phases = new List<PhaseFigures>();
        for (var e = 0; e < events.Count; e++)
        {
            var start = events[e].AtMs;
            var baselinePerSecond = Baseline(requests, start, baselineWindow);
            var end = e + 1 < events.Count ? events[e + 1].AtMs : endMs;
            var answered = new List<long>();
            int checks = 0, failedChecks = 0, actions = 0, failedActions = 0, longest = 0;
            long lastFailedCheck = -1;
            foreach (var request in requests)
            {
                if (request.EndedMs < start || request.EndedMs >= end)
                {
                    continue;
                }

                longest = Math.Max(longest, request.TookMs);
                if (request.Kind == RequestKind.Action)
                {
                    actions++;
                    failedActions += request.Answered ? 0 : 1;
                    continue;
                }

                checks++;
                if (!request.Answered)
                {
                    failedChecks++;
                    lastFailedCheck = Math.Max(lastFailedCheck, request.EndedMs);
                }
                else
                {
                    answered.Add(request.EndedMs);
                }
            }

            var throughputBack = TimeToThroughput(answered, start, end, fraction * baselinePerSecond);
            long? allSucceed = lastFailedCheck < 0 ? 0 : lastFailedCheck - start;
            phases.Add(new PhaseFigures(events[e], end, baselinePerSecond, checks, failedChecks, actions, failedActions, longest, allSucceed, throughputBack));
        }

        return phases;
    }

    /// <summary>
    /// The end of the first second from <paramref name="start"/> on (sliding by 100 ms, within the phase) in which at least
    /// <paramref name="perSecond"/> checks were answered, counted from <paramref name="start"/>; null if none.
    /// </summary>
    private static long? TimeToThroughput(List<long> answered, long start, long end, double perSecond)
    {
        answered.Sort();
        var first = 0;
        var last = 0;
        for (var from = start; from + 1000 <= end; from += 100)
        {
            while (first < answered.Count && answered[first] < from)
            {
                first++;
            }

            last = Math.Max(last, first);
            while (last < answered.Count && answered[last] < from + 1000)
            {
                last++;
            }

            if (last - first >= perSecond)
            {
                return from + 1000 - start;
            }
        }

        return null;
    }

    /// <summary>Per second from <paramref name="fromMs"/>: answered and failed checks, failed actions and the longest request that ended in it.</summary>
    public static List<string> Timeline(IReadOnlyCollection<Request> requests, long fromMs, long toMs)
    {
        var seconds = (int)Math.Max(0, (toMs - fromMs + 999) / 1000);
        var answeredChecks = new int[seconds];
        var failedChecks = new int[seconds];
        var failedActions = new int[seconds];
        var longest = new int[seconds];
        foreach (var request in requests)
        {
            var second = (request.EndedMs - fromMs) / 1000;
            if (request.EndedMs < fromMs || second >= seconds)
            {
                continue;
            }

            longest[second] = Math.Max(longest[second], request.TookMs);
            if (request.Kind == RequestKind.Action)
            {
                failedActions[second] += request.Answered ? 0 : 1;
            }
            else if (request.Answered)
            {
                answeredChecks[second]++;
            }
            else
            {
                failedChecks[second]++;
            }
        }

        var lines = new List<string> { "second,answered_checks,failed_checks,failed_actions,longest_ms" };
        for (var s = 0; s < seconds; s++)
        {
            lines.Add($"{s},{answeredChecks[s]},{failedChecks[s]},{failedActions[s]},{longest[s]}");
        }

        return lines;
    }
}
