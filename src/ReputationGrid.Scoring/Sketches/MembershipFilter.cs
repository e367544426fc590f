namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// Whether a value was added, with no false negatives and a bounded false-positive rate: a Bloom filter of
/// <see cref="Bits"/> bits (512 bytes) probed <see cref="Probes"/> times. Holding <see cref="Capacity"/> values it wrongly
/// answers yes for about 2.4 % of values never added (0.24 % at 256 values); beyond, the rate grows: 16 % at 1,024
/// values, 56 % at 2,048. Unallocated until the first value, and then fixed in size.
/// A mutable struct held inline by <see cref="RollingDistinct"/>, as <see cref="Windows.CounterRing{TCount}"/> is.
/// </summary>
public struct MembershipFilter
{
    public const int Bits = 4096;
    public const int Probes = 4;
    public const int Capacity = 512;
    private const int Words = Bits / 64;

    private ulong[]? _words;

    public readonly bool IsEmpty => _words is null;

    public void Add(uint value)
    {
        _words ??= new ulong[Words];
        var (first, step) = Probe(value);
        for (var i = 0; i < Probes; i++, first += step)
        {
            var bit = first & (Bits - 1);
            _words[bit >> 6] |= 1UL << (int)(bit & 63);
        }
    }

    public readonly bool Contains(uint value)
    {
        if (_words is null)
        {
            return false;
        }

        var (first, step) = Probe(value);
        for (var i = 0; i < Probes; i++, first += step)
        {
            var bit = first & (Bits - 1);
            if ((_words[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A filter that holds every value: what is known of a period whose members were not kept.</summary>
    public void Fill()
    {
        _words ??= new ulong[Words];
        Array.Fill(_words, ulong.MaxValue);
    }

    public void Clear() => _words = null;

    internal readonly void Write(BinaryWriter writer)
    {
        foreach (var word in _words ?? throw new InvalidOperationException("An empty membership filter is not stored."))
        {
            writer.Write(word);
        }
    }

    internal void Read(BinaryReader reader)
    {
        _words = new ulong[Words];
        for (var i = 0; i < Words; i++)
        {
            _words[i] = reader.ReadUInt64();
        }
    }

    // Double hashing: the probes are first, first + step, ... The values are already hashes; mixing them once more
    // spreads the probes of values that differ only in a few bits.
    private static (uint First, uint Step) Probe(uint value)
    {
        var mixed = value * 0x9E3779B97F4A7C15UL;
        return ((uint)mixed, (uint)(mixed >> 32) | 1);
    }
}
