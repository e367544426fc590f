namespace ReputationGrid.Simulator.Population;

/// <summary>The distributions the generators draw from. Every draw goes through a seeded <see cref="Random"/>.</summary>
public static class Draw
{
    /// <summary>A generator for one account: independent of every other account, so accounts can be played in any order.</summary>
    public static Random ForAccount(int seed, int index)
    {
        // SplitMix64 of (seed, index): neighbouring indexes get unrelated streams.
        var z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new Random((int)(z & int.MaxValue));
    }

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>A whole number in [min, max], both included.</summary>
    public static int Between(this Random random, int min, int max) => random.Next(min, max + 1);

    public static double Between(this Random random, double min, double max) => min + (max - min) * random.NextDouble();

    /// <summary>Log-normal with the given median: heavy-tailed, always positive.</summary>
    public static double LogNormal(this Random random, double median, double sigma) => median * Math.Exp(sigma * random.Gaussian());

    /// <summary>A duration in milliseconds, log-normal around <paramref name="medianMs"/>, at least 1 ms.</summary>
    public static long Gap(this Random random, double medianMs, double sigma) => Math.Max(1, (long)random.LogNormal(medianMs, sigma));

    /// <summary>An index in [0, count) that favours the first ones: a few close contacts get most messages.</summary>
    public static int Favourite(this Random random, int count) => Math.Min(count - 1, (int)(count * Math.Pow(random.NextDouble(), 3)));

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static double Gaussian(this Random random)
    {
        // Box-Muller; 1 - NextDouble() avoids log(0).
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
