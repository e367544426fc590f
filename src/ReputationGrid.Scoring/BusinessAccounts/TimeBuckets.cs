namespace ReputationGrid.Scoring.BusinessAccounts;

/// <summary>
/// Whole-number counts per channel in fixed-width buckets of event time, keeping the newest buckets. Unlike the
/// personal rings, counts are ints: a business at a high tier opens far more than 65,535 conversations an hour.
/// Events older than the oldest bucket kept are dropped.
/// </summary>
internal sealed class TimeBuckets(long bucketMs, int bucketCount, int channels)
{
    private readonly int[] _counts = new int[bucketCount * channels];
    private long _head = long.MinValue; // absolute index (time / width) of the newest bucket

    public long BucketMs => bucketMs;

    public int BucketCount => bucketCount;

    public long BucketOf(long ms) => (long)Math.Floor(ms / (double)bucketMs);

    /// <summary>Counts how often the counts changed, so that a sum over them knows when it is stale.</summary>
    public int Changes { get; private set; }

    public void Add(long ms, int channel)
    {
        var bucket = BucketOf(ms);
        if (_head == long.MinValue || bucket > _head)
        {
            for (var b = _head == long.MinValue ? bucket - bucketCount + 1 : Math.Max(_head + 1, bucket - bucketCount + 1); b <= bucket; b++)
            {
                Array.Clear(_counts, Slot(b) * channels, channels);
            }

            _head = bucket;
        }
        else if (bucket <= _head - bucketCount)
        {
            return;
        }

        ref var count = ref _counts[Slot(bucket) * channels + channel];
        count = count == int.MaxValue ? count : count + 1;
        Changes++;
    }

    /// <summary>The count of one channel in the absolute bucket <paramref name="bucket"/>; 0 when it is not held.</summary>
    public int Get(long bucket, int channel) => Counts(bucket) is { IsEmpty: false } counts ? counts[channel] : 0;

    /// <summary>The counts of every channel in the absolute bucket <paramref name="bucket"/>; empty when it is not held.</summary>
    public ReadOnlySpan<int> Counts(long bucket) =>
        _head != long.MinValue && bucket <= _head && bucket > _head - bucketCount ? _counts.AsSpan(Slot(bucket) * channels, channels) : default;

    public void Write(BinaryWriter writer)
    {
        writer.Write(_head);
        foreach (var count in _counts)
        {
            writer.Write7BitEncodedInt(count);
        }
    }

    public void Read(BinaryReader reader)
    {
        Changes++;
        _head = reader.ReadInt64();
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] = reader.Read7BitEncodedInt() is var count && count >= 0 ? count : throw new InvalidDataException("A business count is negative.");
        }
    }

    private int Slot(long bucket) => (int)(((bucket % bucketCount) + bucketCount) % bucketCount);
}
