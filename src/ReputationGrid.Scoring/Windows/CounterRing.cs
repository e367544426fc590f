using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ReputationGrid.Scoring.Windows;

/// <summary>
/// Counts per channel in fixed-width buckets of event time, keeping the newest <c>bucketCount</c> buckets.
/// Out-of-order events land in their own bucket while it is still inside the horizon; older ones are dropped.
/// Counts saturate at the counter type's maximum instead of wrapping.
/// Each channel's total over every bucket held is kept as counts change, so a sum over most of the ring reads the
/// few buckets outside it instead of every bucket inside: the sums were most of a decision's time.
/// A mutable struct, so that an account's rings cost it no object each and a decision follows one pointer fewer to
/// reach their counts: hold it in a field that is not <c>readonly</c>, or each call would change a copy.
/// </summary>
/// <typeparam name="TCount">The stored count type; smaller types keep memory per account down.</typeparam>
public struct CounterRing<TCount> where TCount : unmanaged, IBinaryInteger<TCount>, IMinMaxValue<TCount>
{
    // The ring's shape, in the narrowest types that hold it: every account holds four rings.
    private readonly int _bucketMs;
    private readonly ushort _bucketCount;
    private readonly byte _channels;

    // [slot * channels + channel], then each channel's total as an int (see Totals); allocated on the first count.
    private TCount[]? _counts;
    private long _head = long.MinValue; // absolute index (time / width) of the newest bucket

    public CounterRing(TimeSpan bucketWidth, int bucketCount, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketWidth, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bucketWidth, TimeSpan.FromMilliseconds(int.MaxValue));
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bucketCount, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, byte.MaxValue);
        if (bucketCount * double.CreateTruncating(TCount.MaxValue) > int.MaxValue)
        {
            throw new ArgumentException($"{bucketCount} buckets of {typeof(TCount).Name} counts could overflow a channel's total.", nameof(bucketCount));
        }

        _bucketMs = (int)bucketWidth.TotalMilliseconds;
        _bucketCount = (ushort)bucketCount;
        _channels = (byte)channels;
    }

    public void Add(long atMs, int channel, long amount = 1)
    {
        if (amount <= 0)
        {
            return;
        }

        var bucket = BucketOf(atMs);
        _counts ??= NewCounts();
        if (_head == long.MinValue)
        {
            _head = bucket;
        }
        else if (bucket > _head)
        {
            Advance(bucket);
        }
        else if (bucket <= _head - _bucketCount)
        {
            return; // older than the horizon
        }

        ref var slot = ref _counts[Slot(bucket) * _channels + channel];
        var before = int.CreateTruncating(slot);
        slot = TCount.CreateSaturating(long.CreateSaturating(slot) + amount);
        Totals[channel] += int.CreateTruncating(slot) - before;
    }

    /// <summary>Sum of one channel over the <paramref name="span"/> buckets ending with the one holding <paramref name="atMs"/>.</summary>
    public readonly long Sum(long atMs, int channel, int span)
    {
        if (_counts is null)
        {
            return 0;
        }

        var (first, last) = Buckets(atMs, span);
        if (first > last)
        {
            return 0;
        }

        return FewerBucketsOutside(first, last)
            ? Totals[channel] - SumBuckets(Oldest, first - 1, channel) - SumBuckets(last + 1, _head, channel)
            : SumBuckets(first, last, channel);
    }

    /// <summary>
    /// Sums of every channel over the <paramref name="span"/> buckets ending with the one holding <paramref name="atMs"/>,
    /// one per channel into <paramref name="totals"/>: one walk over the ring instead of one a channel.
    /// </summary>
    public readonly void SumChannels(long atMs, int span, Span<long> totals)
    {
        if (totals.Length != _channels)
        {
            throw new ArgumentException($"The ring has {_channels} channels, not {totals.Length}.", nameof(totals));
        }

        totals.Clear();
        if (_counts is null)
        {
            return;
        }

        var (first, last) = Buckets(atMs, span);
        if (first > last)
        {
            return;
        }

        if (FewerBucketsOutside(first, last))
        {
            var held = Totals;
            for (var channel = 0; channel < totals.Length; channel++)
            {
                totals[channel] = held[channel];
            }

            AddBuckets(Oldest, first - 1, totals, -1);
            AddBuckets(last + 1, _head, totals, -1);
        }
        else
        {
            AddBuckets(first, last, totals, 1);
        }
    }

    internal readonly void Write(BinaryWriter writer)
    {
        // Sparse: only non-empty buckets, as (age from head, counts per channel).
        if (_counts is null)
        {
            writer.Write7BitEncodedInt(0);
            return;
        }

        var nonEmpty = 0;
        for (var age = 0; age < _bucketCount; age++)
        {
            nonEmpty += BucketIsEmpty(_head - age) ? 0 : 1;
        }

        writer.Write7BitEncodedInt(nonEmpty);
        if (nonEmpty == 0)
        {
            return;
        }

        writer.Write(_head);
        for (var age = 0; age < _bucketCount; age++)
        {
            var bucket = _head - age;
            if (BucketIsEmpty(bucket))
            {
                continue;
            }

            writer.Write7BitEncodedInt(age);
            for (var channel = 0; channel < _channels; channel++)
            {
                writer.Write7BitEncodedInt64(long.CreateTruncating(_counts[Slot(bucket) * _channels + channel]));
            }
        }
    }

    internal void Read(BinaryReader reader)
    {
        var nonEmpty = reader.Read7BitEncodedInt();
        if (nonEmpty == 0)
        {
            _counts = null;
            _head = long.MinValue;
            return;
        }

        _head = reader.ReadInt64();
        _counts = NewCounts();
        for (var i = 0; i < nonEmpty; i++)
        {
            var age = reader.Read7BitEncodedInt();
            if (age < 0 || age >= _bucketCount)
            {
                throw new InvalidDataException($"Bucket age {age} is outside a ring of {_bucketCount} buckets.");
            }

            var slot = Slot(_head - age);
            for (var channel = 0; channel < _channels; channel++)
            {
                _counts[slot * _channels + channel] = TCount.CreateSaturating(reader.Read7BitEncodedInt64());
            }
        }

        CountTotals();
    }

    /// <summary>
    /// Copies one channel of a ring of the same width and length, to read older state formats. A channel of
    /// zeros copies nothing, so that this ring stays unallocated.
    /// </summary>
    internal void CopyChannel(CounterRing<TCount> source, int sourceChannel, int channel)
    {
        if (source._bucketMs != _bucketMs || source._bucketCount != _bucketCount)
        {
            throw new ArgumentException("Only a ring of the same bucket width and count can be copied.", nameof(source));
        }

        if (source._counts is null || Enumerable.Range(0, _bucketCount).All(slot => source._counts[slot * source._channels + sourceChannel] == TCount.Zero))
        {
            return;
        }

        if (_counts is not null && _head != source._head)
        {
            throw new InvalidOperationException("Channels can only be copied into an empty ring or from the ring they came from.");
        }

        _head = source._head;
        _counts ??= NewCounts();
        for (var slot = 0; slot < _bucketCount; slot++)
        {
            _counts[slot * _channels + channel] = source._counts[slot * source._channels + sourceChannel];
        }

        CountTotals();
    }

    private readonly bool BucketIsEmpty(long bucket)
    {
        var start = Slot(bucket) * _channels;
        foreach (var count in _counts.AsSpan(start, _channels))
        {
            if (count != TCount.Zero)
            {
                return false;
            }
        }

        return true;
    }

    private void Advance(long bucket)
    {
        // Clear the buckets that the new head pushes out of the horizon: all of them after a long gap, else
        // those from the old head on, walking the ring rather than dividing per bucket.
        if (bucket - _head >= _bucketCount)
        {
            Array.Clear(_counts!); // the totals too
        }
        else
        {
            var totals = Totals;
            var slot = Slot(_head);
            for (var step = _head; step < bucket; step++)
            {
                slot = slot + 1 == _bucketCount ? 0 : slot + 1;
                var counts = _counts.AsSpan(slot * _channels, _channels);
                for (var channel = 0; channel < counts.Length; channel++)
                {
                    totals[channel] -= int.CreateTruncating(counts[channel]);
                }

                counts.Clear();
            }
        }

        _head = bucket;
    }

    /// <summary>
    /// Each channel's total over the buckets held, as ints after the buckets in the counts array: an array of its own
    /// would cost every account another object per ring.
    /// </summary>
    private readonly Span<int> Totals => MemoryMarshal.Cast<TCount, int>(_counts.AsSpan(_bucketCount * _channels))[.._channels];

    /// <summary>The oldest bucket the ring holds.</summary>
    private readonly long Oldest => _head - _bucketCount + 1;

    private readonly TCount[] NewCounts() =>
        new TCount[_bucketCount * _channels + (_channels * sizeof(int) + Unsafe.SizeOf<TCount>() - 1) / Unsafe.SizeOf<TCount>()];

    private void CountTotals()
    {
        var totals = Totals;
        totals.Clear();
        for (var slot = 0; slot < _bucketCount; slot++)
        {
            for (var channel = 0; channel < _channels; channel++)
            {
                totals[channel] += int.CreateTruncating(_counts![slot * _channels + channel]);
            }
        }
    }

    /// <summary>Whether the buckets held outside [first, last] are fewer than those inside it.</summary>
    private readonly bool FewerBucketsOutside(long first, long last) => 2 * (last - first + 1) > _bucketCount;

    private readonly long SumBuckets(long first, long last, int channel)
    {
        long total = 0;
        // One division for the first slot, then walk the ring: a modulo per bucket dominated the decision's cost.
        var slot = first <= last ? Slot(first) : 0;
        for (var bucket = first; bucket <= last; bucket++)
        {
            total += long.CreateTruncating(_counts![slot * _channels + channel]);
            slot = slot + 1 == _bucketCount ? 0 : slot + 1;
        }

        return total;
    }

    /// <summary>Adds (sign 1) or takes away (sign -1) each channel's counts in buckets [first, last] to or from <paramref name="totals"/>.</summary>
    private readonly void AddBuckets(long first, long last, Span<long> totals, int sign)
    {
        var slot = first <= last ? Slot(first) : 0;
        for (var bucket = first; bucket <= last; bucket++)
        {
            var counts = _counts.AsSpan(slot * _channels, _channels);
            for (var channel = 0; channel < counts.Length; channel++)
            {
                totals[channel] += sign * long.CreateTruncating(counts[channel]);
            }

            slot = slot + 1 == _bucketCount ? 0 : slot + 1;
        }
    }

    /// <summary>The buckets a sum over <paramref name="span"/> ending at <paramref name="atMs"/> reads: those the ring still holds.</summary>
    private readonly (long First, long Last) Buckets(long atMs, int span) =>
        (Math.Max(BucketOf(atMs) - span + 1, Oldest), Math.Min(BucketOf(atMs), _head));

    private readonly long BucketOf(long atMs) => Math.DivRem(atMs, _bucketMs) is var (quotient, remainder) && remainder < 0 ? quotient - 1 : quotient;

    private readonly int Slot(long bucket) => (int)(((bucket % _bucketCount) + _bucketCount) % _bucketCount);
}
