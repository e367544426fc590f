using ReputationGrid.Contracts;

namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// The lowest score of each quarter hour of the last day, taken from an account's send checks, for the console's chart.
/// Kept by the activation only, never stored (the stored account state stays as it is): it starts empty when the account
/// is activated, so it covers the time since then. It costs an active account one 96-byte array, made on its first
/// send check; recording a check allocates nothing after that.
/// </summary>
internal struct ScoreSamples
{
    public const int Slots = 96;

    private static readonly long SlotMs = (long)TimeSpan.FromMinutes(15).TotalMilliseconds;

    // By slot (absolute slot index modulo Slots): the lowest score seen plus one, 0 for a quarter hour without a check.
    private byte[]? _lowest;
    private long _head; // absolute index of the newest slot written, once _lowest exists

    public void Record(DateTimeOffset at, double score)
    {
        var slot = at.ToUnixTimeMilliseconds() / SlotMs;
        if (_lowest is null)
        {
            _lowest = new byte[Slots];
            _head = slot;
        }
        else if (slot > _head)
        {
            // Quarter hours skipped since the newest one held samples of a day ago: clear them.
            for (var cleared = Math.Max(_head + 1, slot - Slots + 1); cleared <= slot; cleared++)
            {
                _lowest[Index(cleared)] = 0;
            }

            _head = slot;
        }
        else if (slot <= _head - Slots)
        {
            return; // older than a day before the newest check
        }

        var value = (byte)(Math.Clamp(Math.Floor(score), 0, 100) + 1);
        ref var lowest = ref _lowest[Index(slot)];
        if (lowest == 0 || value < lowest)
        {
            lowest = value;
        }
    }

    /// <summary>The samples of the day ending at <paramref name="now"/>, oldest first.</summary>
    public readonly ScoreSample[] Read(DateTimeOffset now)
    {
        if (_lowest is null)
        {
            return [];
        }

        var samples = new List<ScoreSample>();
        var last = now.ToUnixTimeMilliseconds() / SlotMs;
        for (var slot = last - Slots + 1; slot <= last; slot++)
        {
            if (slot <= _head && slot > _head - Slots && _lowest[Index(slot)] is > 0 and var value)
            {
                samples.Add(new ScoreSample(DateTimeOffset.FromUnixTimeMilliseconds(slot * SlotMs), value - 1));
            }
        }

        return [.. samples];
    }

    private static int Index(long slot) => (int)(((slot % Slots) + Slots) % Slots);
}
