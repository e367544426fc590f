namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// The most recent reports and blocks an account received, so negative feedback can be counted per
/// distinct person and weighed by whether that person had actually been messaged by the account.
/// Bounded: the oldest entry makes room for a new one.
/// A mutable struct held inline by the account's behaviour, as <see cref="Windows.CounterRing{TCount}"/> is.
/// </summary>
public struct FeedbackLog
{
    public const int Capacity = 32;

    private Entry[]? _entries;
    private int _count;

    public void Add(long atMs, ulong person, bool corroborated)
    {
        _entries ??= new Entry[Capacity];
        var index = _count < Capacity ? _count++ : Oldest();
        _entries[index] = new Entry(atMs, person, corroborated);
    }

    /// <summary>
    /// Distinct people who reported or blocked in the window ending at <paramref name="atMs"/>, split by
    /// whether the account had messaged them (corroborated) or not.
    /// </summary>
    public readonly (int Corroborated, int Uncorroborated) DistinctPeople(long atMs, long windowMs)
    {
        var corroborated = 0;
        var uncorroborated = 0;
        for (var i = 0; i < _count; i++)
        {
            var entry = _entries![i];
            if (!InWindow(entry, atMs, windowMs) || SeenEarlier(i, atMs, windowMs))
            {
                continue;
            }

            if (IsCorroborated(entry.Person, atMs, windowMs))
            {
                corroborated++;
            }
            else
            {
                uncorroborated++;
            }
        }

        return (corroborated, uncorroborated);
    }

    internal readonly void Write(BinaryWriter writer)
    {
        writer.Write7BitEncodedInt(_count);
        for (var i = 0; i < _count; i++)
        {
            writer.Write(_entries![i].AtMs);
            writer.Write(_entries[i].Person);
            writer.Write(_entries[i].Corroborated);
        }
    }

    internal void Read(BinaryReader reader)
    {
        var count = reader.Read7BitEncodedInt();
        if (count is < 0 or > Capacity)
        {
            throw new InvalidDataException($"{count} feedback entries exceed {Capacity}.");
        }

        _count = 0;
        _entries = count == 0 ? null : new Entry[Capacity];
        for (var i = 0; i < count; i++)
        {
            Add(reader.ReadInt64(), reader.ReadUInt64(), reader.ReadBoolean());
        }
    }

    private static bool InWindow(Entry entry, long atMs, long windowMs) => entry.AtMs <= atMs && atMs - entry.AtMs < windowMs;

    private readonly bool SeenEarlier(int index, long atMs, long windowMs)
    {
        for (var i = 0; i < index; i++)
        {
            if (_entries![i].Person == _entries[index].Person && InWindow(_entries[i], atMs, windowMs))
            {
                return true;
            }
        }

        return false;
    }

    private readonly bool IsCorroborated(ulong person, long atMs, long windowMs)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_entries![i].Person == person && _entries[i].Corroborated && InWindow(_entries[i], atMs, windowMs))
            {
                return true;
            }
        }

        return false;
    }

    private readonly int Oldest()
    {
        var oldest = 0;
        for (var i = 1; i < _count; i++)
        {
            if (_entries![i].AtMs < _entries[oldest].AtMs)
            {
                oldest = i;
            }
        }

        return oldest;
    }

    private readonly record struct Entry(long AtMs, ulong Person, bool Corroborated);
}
