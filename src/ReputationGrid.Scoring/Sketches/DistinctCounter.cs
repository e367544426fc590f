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

        return EstimateRegisters(_registers);
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

        Span<byte> merged = stackalloc byte[Registers];
        first.MergeInto(merged);
        second.MergeInto(merged);
        return EstimateRegisters(merged);
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

    private static uint Fold(ulong hash) => (uint)(hash ^ (hash >> 32));

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

    /// <summary>Adds a hash to the registers; true when it raised one.</summary>
    private static bool AddToRegisters(Span<byte> registers, uint hash)
    {
        var index = (int)(hash >> (32 - IndexBits));
        var rest = hash << IndexBits;
        // Rank: position of the first set bit in the remaining 24 bits (25 when they are all zero).
        var rank = (byte)Math.Min(BitOperations.LeadingZeroCount(rest) + 1, MaxRank);
        if (rank <= registers[index])
        {
            return false;
        }

        registers[index] = rank;
        return true;
    }

    private static double EstimateRegisters(ReadOnlySpan<byte> registers)
    {
        const double alpha = 0.7213 / (1 + 1.079 / Registers);
        // The harmonic sum of 2^-rank, scaled by 2^MaxRank to whole numbers: integer additions do not wait on each
        // other as a chain of floating-point ones does, and the sum (at most 2^33) is exact either way.
        long scaledSum = 0;
        var zeros = 0;
        foreach (var register in registers)
        {
            scaledSum += 1L << (MaxRank - register);
            zeros += register == 0 ? 1 : 0;
        }

        var estimate = alpha * Registers * Registers / Math.ScaleB(scaledSum, -MaxRank);
        // Small cardinalities: linear counting on the empty registers is the better estimator.
        return estimate <= 2.5 * Registers && zeros > 0 ? Registers * Math.Log((double)Registers / zeros) : estimate;
    }
}
