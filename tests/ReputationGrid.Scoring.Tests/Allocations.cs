namespace ReputationGrid.Scoring.Tests;

internal static class Allocations
{
    /// <summary>
    /// Bytes allocated on this thread by the cleanest of up to three runs of <paramref name="run"/>, after one run that
    /// creates whatever is made on first use. The runtime can bill a one-off to the thread while a method tiers up, which
    /// dirties one run; an allocation of the code under test dirties every run.
    /// </summary>
    public static long InSteadyState(Action run)
    {
        run();
        var fewest = long.MaxValue;
        for (var attempt = 0; attempt < 3 && fewest > 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            run();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
