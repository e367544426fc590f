using System.Numerics;

namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// Counts distinct hashes: exactly up to <see cref="ExactCapacity"/>, then as a HyperLogLog of
/// <see cref="Registers"/> one-byte registers (about 6.5% standard error), so memory stays bounded
/// however many distinct values an account reaches.
/// A mutable struct held inline by <see cref="RollingDistinct"/>, as <see cref="Windows.CounterRing{TCount}"/> is.
/// </summary>
public struct DistinctCounter
{
    public const int ExactCapacity = 64;
    public const int Registers = 256;
    private const int IndexBits = 8; // log2(Registers)
    private const int MaxRank = 32 - IndexBits + 1;

    private uint[]? _exact; // distinct 32-bit hashes while small; grows by doubling up to ExactCapacity
    private int _exactCount;
    private byte[]? _registers; // set once the exact set overflows; _exact is dropped then

    public readonly bool IsSketch => _registers is not null;

    /// <summary>The values of the exact set (folded to 32 bits), empty once only a sketch is kept.</summary>
    internal readonly ReadOnlySpan<uint> ExactValues => _exact.AsSpan(0, _exactCount);

    /// <summary>Counts the value; true when that changed the counter (a value new to the exact set, or a raised register).</summary>
    public bool Add(ulong hash) => Add(Fold(hash));

    /// <summary>True or false while counting exactly; null once only a sketch is kept.</summary>
    public readonly bool? Contains(ulong hash) =>
        _registers is not null ? null : _exact is not null && Array.IndexOf(_exact, Fold(hash), 0, _exactCount) >= 0;

    public readonly double Estimate()
    {
        if (_registers is null)
        {
            return _exactCount;
        }

        return RegisterSum.Of(_registers).Estimate();
    }

    /// <summary>Distinct values in the union of two counters, without allocating.</summary>
    public static double EstimateUnion(in DistinctCounter first, in DistinctCounter second)
    {
        if (first._registers is null && second._registers is null)
        {
            var union = first._exactCount;
            for (var i = 0; i < second._exactCount; i++)
            {
                union += first.ContainsExact(second._exact![i]) ? 0 : 1;
            }

            return union;
        }

        return UnionSum(first, second).Estimate();
    }

    /// <summary>The register sum of the union of two counters, as a sketch of all their values would hold it.</summary>
    internal static RegisterSum UnionSum(in DistinctCounter first, in DistinctCounter second)
    {
        Span<byte> merged = stackalloc byte[Registers];
        first.MergeInto(merged);
        second.MergeInto(merged);
        return RegisterSum.Of(merged);
    }

    /// <summary>The register a value falls in, and the rank it gives that register.</summary>
    internal static (int Index, byte Rank) Locate(ulong hash) => Locate(Fold(hash));

    /// <summary>The rank the counter holds in a register: a sketch's own, or the highest its exact values give it.</summary>
    internal readonly byte RankAt(int index)
    {
        if (_registers is not null)
        {
            return _registers[index];
        }

        byte rank = 0;
        for (var i = 0; i < _exactCount; i++)
        {
            var (at, valueRank) = Locate(_exact![i]);
            rank = at == index ? Math.Max(rank, valueRank) : rank;
        }

        return rank;
    }

    public void Clear()
    {
        // Keep the exact array for reuse; a sketch is dropped so the next period starts exact again.
        _exactCount = 0;
        _registers = null;
    }

    internal readonly void Write(BinaryWriter writer)
    {
        if (_registers is not null)
        {
            writer.Write((byte)2);
            writer.Write(_registers);
            return;
        }

        writer.Write((byte)1);
        writer.Write7BitEncodedInt(_exactCount);
        for (var i = 0; i < _exactCount; i++)
        {
            writer.Write(_exact![i]);
        }
    }

    internal void Read(BinaryReader reader)
    {
        Clear();
        switch (reader.ReadByte())
        {
            case 1:
                var count = reader.Read7BitEncodedInt();
                if (count is < 0 or > ExactCapacity)
                {
                    throw new InvalidDataException($"An exact distinct set of {count} exceeds {ExactCapacity}.");
                }

                for (var i = 0; i < count; i++)
                {
                    Add(reader.ReadUInt32());
                }

                break;
            case 2:
                _registers = reader.ReadBytes(Registers);
                if (_registers.Length != Registers)
                {
                    throw new InvalidDataException("A distinct-count sketch is truncated.");
                }

                if (_registers.AsSpan().IndexOfAnyInRange((byte)(MaxRank + 1), byte.MaxValue) >= 0)
                {
                    throw new InvalidDataException($"A distinct-count sketch holds a rank above {MaxRank}.");
                }

                break;
            case var kind:
                throw new InvalidDataException($"Unknown distinct-counter encoding {kind}.");
        }
    }

    internal static uint Fold(ulong hash) => (uint)(hash ^ (hash >> 32));

    private bool Add(uint hash)
    {
        if (_registers is not null)
        {
            return AddToRegisters(_registers, hash);
        }

        if (ContainsExact(hash))
        {
            return false;
        }

        if (_exactCount == ExactCapacity)
        {
            var registers = new byte[Registers];
            MergeInto(registers); // while still exact: adds the exact values
            AddToRegisters(registers, hash);
            _registers = registers;
            _exact = null;
            _exactCount = 0;
            return true;
        }

        if (_exact is null || _exactCount == _exact.Length)
        {
            Array.Resize(ref _exact, Math.Min(ExactCapacity, Math.Max(4, _exactCount * 2)));
        }

        _exact[_exactCount++] = hash;
        return true;
    }

    private readonly bool ContainsExact(uint hash) => _exact is not null && Array.IndexOf(_exact, hash, 0, _exactCount) >= 0;

    private readonly void MergeInto(Span<byte> registers)
    {
        if (_registers is not null)
        {
            // A decision merges two sketches, register by register: a vector's width at a time. Registers is a
            // multiple of every vector width.
            for (var i = 0; i < Registers; i += Vector<byte>.Count)
            {
                Vector.Max(new Vector<byte>(registers[i..]), new Vector<byte>(_registers, i)).CopyTo(registers[i..]);
            }

            return;
        }

        for (var i = 0; i < _exactCount; i++)
        {
            AddToRegisters(registers, _exact![i]);
        }
    }

    private static (int Index, byte Rank) Locate(uint hash)
    {
        var index = (int)(hash >> (32 - IndexBits));
        var rest = hash << IndexBits;
        // Rank: position of the first set bit in the remaining 24 bits (25 when they are all zero).
        return (index, (byte)Math.Min(BitOperations.LeadingZeroCount(rest) + 1, MaxRank));
    }

    /// <summary>Adds a hash to the registers; true when it raised one.</summary>
    private static bool AddToRegisters(Span<byte> registers, uint hash)
    {
        var (index, rank) = Locate(hash);
        if (rank <= registers[index])
        {
            return false;
        }

        registers[index] = rank;
        return true;
    }

    /// <summary>
    /// What HyperLogLog's estimate is made of, over a set of registers: the harmonic sum of 2^-rank, scaled by
    /// 2^MaxRank to a whole number, and the count of empty registers. Raising one register changes both by a known
    /// amount, so a kept sum follows its registers without summing them all again. Packed into one long (the sum
    /// takes at most 34 bits, the count 9) because every account keeps one; zero, which no set of registers sums to,
    /// is no sum.
    /// </summary>
    internal readonly struct RegisterSum
    {
        private const int ZerosShift = 40;
        private const long SumMask = (1L << ZerosShift) - 1;
        private readonly long _packed;

        private RegisterSum(long scaledSum, int zeros) => _packed = scaledSum | ((long)zeros << ZerosShift);

        /// <summary>False for <c>default</c>, which stands for no sum.</summary>
        public bool IsKept => _packed != 0;

        public static RegisterSum Of(ReadOnlySpan<byte> registers)
        {
            // Integer additions do not wait on each other as a chain of floating-point ones does, and the sum (at most
            // 2^33) is exact either way.
            long scaledSum = 0;
            var zeros = 0;
            foreach (var register in registers)
            {
                scaledSum += 1L << (MaxRank - register);
                zeros += register == 0 ? 1 : 0;
            }

            return new RegisterSum(scaledSum, zeros);
        }

        /// <summary>The sum once one register has been raised from <paramref name="from"/> to <paramref name="to"/>.</summary>
        public RegisterSum Raise(byte from, byte to) =>
            new((_packed & SumMask) + (1L << (MaxRank - to)) - (1L << (MaxRank - from)), (int)(_packed >> ZerosShift) - (from == 0 ? 1 : 0));

        public double Estimate()
        {
            const double alpha = 0.7213 / (1 + 1.079 / Registers);
            var zeros = (int)(_packed >> ZerosShift);
            var estimate = alpha * Registers * Registers / Math.ScaleB(_packed & SumMask, -MaxRank);
            // Small cardinalities: linear counting on the empty registers is the better estimator.
            return estimate <= 2.5 * Registers && zeros > 0 ? Registers * Math.Log((double)Registers / zeros) : estimate;
        }
    }
}
