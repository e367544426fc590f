using System.Numerics;

namespace ReputationGrid.Scoring.Windows;

/// <summary>
/// Counts per channel in fixed-width buckets of event time, keeping the newest <c>bucketCount</c> buckets.
/// Out-of-order events land in their own bucket while it is still inside the horizon; older ones are dropped.
/// Counts saturate at the counter type's maximum instead of wrapping.
/// </summary>
/// <typeparam name="TCount">The stored count type; smaller types keep memory per account down.</typeparam>
public sealed class CounterRing<TCount> where TCount : unmanaged, IBinaryInteger<TCount>
{
    private readonly long _bucketMs;
    private readonly int _bucketCount;
    private readonly int _channels;
    private TCount[]? _counts; // [slot * channels + channel]; allocated on the first count
    private long _head = long.MinValue; // absolute index (time / width) of the newest bucket

    public CounterRing(TimeSpan bucketWidth, int bucketCount, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketWidth, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _bucketMs = (long)bucketWidth.TotalMilliseconds;
        _bucketCount = bucketCount;
        _channels = channels;
    }

    public void Add(long atMs, int channel, long amount = 1)
    {
        if (amount <= 0)
        {
            return;
        }

        var bucket = BucketOf(atMs);
        _counts ??= new TCount[_bucketCount * _channels];
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
        slot = TCount.CreateSaturating(long.CreateSaturating(slot) + amount);
    }

    /// <summary>Sum of one channel over the <paramref name="span"/> buckets ending with the one holding <paramref name="atMs"/>.</summary>
    public long Sum(long atMs, int channel, int span)
    {
        if (_counts is null)
        {
            return 0;
        }

        var (first, last) = Buckets(atMs, span);
        long total = 0;
        // One division for the first slot, then walk the ring: a modulo per bucket dominated the decision's cost.
        var slot = first <= last ? Slot(first) : 0;
        for (var bucket = first; bucket <= last; bucket++)
        {
            total += long.CreateTruncating(_counts[slot * _channels + channel]);
            slot = slot + 1 == _bucketCount ? 0 : slot + 1;
        }

        return total;
    }

    /// <summary>
    /// Sums of every channel over the <paramref name="span"/> buckets ending with the one holding <paramref name="atMs"/>,
    /// one per channel into <paramref name="totals"/>: one walk over the ring instead of one a channel.
    /// </summary>
    public void SumChannels(long atMs, int span, Span<long> totals)
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
        var slot = first <= last ? Slot(first) : 0;
        for (var bucket = first; bucket <= last; bucket++)
        {
            var counts = _counts.AsSpan(slot * _channels, _channels);
            for (var channel = 0; channel < counts.Length; channel++)
            {
                totals[channel] += long.CreateTruncating(counts[channel]);
            }

            slot = slot + 1 == _bucketCount ? 0 : slot + 1;
        }
    }

    internal void Write(BinaryWriter writer)
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
        _counts = new TCount[_bucketCount * _channels];
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
        _counts ??= new TCount[_bucketCount * _channels];
        for (var slot = 0; slot < _bucketCount; slot++)
        {
            _counts[slot * _channels + channel] = source._counts[slot * source._channels + sourceChannel];
        }
    }

    private bool BucketIsEmpty(long bucket)
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
            Array.Clear(_counts!);
        }
        else
        {
            var slot = Slot(_head);
            for (var step = _head; step < bucket; step++)
            {
                slot = slot + 1 == _bucketCount ? 0 : slot + 1;
                _counts.AsSpan(slot * _channels, _channels).Clear();
            }
        }

        _head = bucket;
    }

    /// <summary>The buckets a sum over <paramref name="span"/> ending at <paramref name="atMs"/> reads: those the ring still holds.</summary>
    private (long First, long Last) Buckets(long atMs, int span) =>
        (Math.Max(BucketOf(atMs) - span + 1, _head - _bucketCount + 1), Math.Min(BucketOf(atMs), _head));

    private long BucketOf(long atMs) => Math.DivRem(atMs, _bucketMs) is var (quotient, remainder) && remainder < 0 ? quotient - 1 : quotient;

    private int Slot(long bucket) => (int)(((bucket % _bucketCount) + _bucketCount) % _bucketCount);
}
