using System.Runtime.CompilerServices;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// The reports and blocks an account received, one entry per distinct person: a person who reports or blocks again
/// refreshes their own entry, so they count once however often they do it and push nobody else out. Each entry keeps
/// whether the account had messaged the person (corroborated) and the person's standing, so feedback is weighed by both.
/// Up to <see cref="Capacity"/> people are kept exactly. When all of them gave feedback within the day and one more
/// comes, the one who weighs least of them all is left out and counted in a distinct count of left-out people, each at
/// the least weight any feedback has: a flood of feedback can add little and never wash out the feedback that weighs most.
/// A mutable struct held inline by the account's behaviour, as <see cref="Windows.CounterRing{TCount}"/> is.
/// </summary>
public struct FeedbackLog
{
    public const int Capacity = 32;

    private Entry[]? _entries; // grows by doubling up to Capacity: most accounts are reported by one or two people, if any
    private int _count;
    private StrongBox<RollingDistinct>? _leftOut; // only after a flood of distinct people

    public void Add(long atMs, ulong person, bool corroborated, ReporterStanding standing)
    {
        var added = new Entry(atMs, person, corroborated, standing);
        for (var i = 0; i < _count; i++)
        {
            if (_entries![i].Person == person)
            {
                _entries[i] = _entries[i].Refreshed(added);
                return;
            }
        }

        if (_count < Capacity)
        {
            if (_entries is null || _count == _entries.Length)
            {
                Array.Resize(ref _entries, Math.Min(Capacity, Math.Max(2, _count * 2)));
            }

            _entries[_count++] = added;
            return;
        }

        var replaced = Replaceable(atMs);
        if (replaced >= 0)
        {
            _entries![replaced] = added;
            return;
        }

        var least = LeastWeighing();
        var leftOut = _entries![least];
        if (added.Rank > leftOut.Rank)
        {
            _entries[least] = added;
        }
        else
        {
            leftOut = added;
        }

        (_leftOut ??= new StrongBox<RollingDistinct>(new RollingDistinct())).Value.Add(leftOut.AtMs, leftOut.Person);
    }

    /// <summary>
    /// The people who reported or blocked in the day ending at <paramref name="atMs"/>, each weighed by their standing,
    /// split by whether the account had messaged them (corroborated) or not; left-out people count as uncorroborated at
    /// the least standing weight.
    /// </summary>
    public readonly (double Corroborated, double Uncorroborated) WeighedPeople(long atMs, FeedbackPolicy policy)
    {
        var corroborated = 0.0;
        var uncorroborated = 0.0;
        for (var i = 0; i < _count; i++)
        {
            var entry = _entries![i];
            if (!InDay(entry.AtMs, atMs))
            {
                continue;
            }

            var weight = policy.WeightOf(entry.Standing);
            if (entry.Corroborated)
            {
                corroborated += weight;
            }
            else
            {
                uncorroborated += weight;
            }
        }

        if (_leftOut is not null)
        {
            uncorroborated += _leftOut.Value.Estimate(atMs) * policy.LeastWeight;
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
            writer.Write((byte)_entries[i].Standing);
        }

        writer.Write(_leftOut is not null);
        _leftOut?.Value.Write(writer);
    }

    /// <summary>
    /// Formats before <see cref="StateFormat.DistinctReporters"/> kept the latest reports, a person possibly more than
    /// once and without standing: each person is read once, as established, corroborated if any of their reports was.
    /// </summary>
    internal void Read(BinaryReader reader, StateFormat format)
    {
        var count = reader.Read7BitEncodedInt();
        if (count is < 0 or > Capacity)
        {
            throw new InvalidDataException($"{count} feedback entries exceed {Capacity}.");
        }

        _count = 0;
        _entries = null;
        _leftOut = null;
        var distinctReporters = format >= StateFormat.DistinctReporters;
        for (var i = 0; i < count; i++)
        {
            var (atMs, person, corroborated) = (reader.ReadInt64(), reader.ReadUInt64(), reader.ReadBoolean());
            var standing = distinctReporters ? ReadStanding(reader) : ReporterStanding.Established;
            Add(atMs, person, corroborated, standing);
        }

        if (distinctReporters && reader.ReadBoolean())
        {
            _leftOut = new StrongBox<RollingDistinct>(new RollingDistinct());
            _leftOut.Value.Read(reader, format);
        }
    }

    private static ReporterStanding ReadStanding(BinaryReader reader)
    {
        var standing = (ReporterStanding)reader.ReadByte();
        return (standing & ~ReporterStanding.All) == 0 ? standing : throw new InvalidDataException($"Unknown reporter standing {(byte)standing}.");
    }

    private static bool InDay(long entryMs, long atMs) => entryMs <= atMs && atMs - entryMs < EventTime.Day;

    /// <summary>An entry out of the day by the time of a new one, or -1.</summary>
    private readonly int Replaceable(long atMs)
    {
        for (var i = 0; i < _count; i++)
        {
            if (atMs - _entries![i].AtMs >= EventTime.Day)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The entry that weighs least, the oldest of those that weigh the same.</summary>
    private readonly int LeastWeighing()
    {
        var least = 0;
        for (var i = 1; i < _count; i++)
        {
            var (entry, current) = (_entries![i], _entries[least]);
            if (entry.Rank < current.Rank || (entry.Rank == current.Rank && entry.AtMs < current.AtMs))
            {
                least = i;
            }
        }

        return least;
    }

    private readonly record struct Entry(long AtMs, ulong Person, bool Corroborated, ReporterStanding Standing)
    {
        /// <summary>How much the entry weighs against others, whatever the policy's weights: corroboration first, then standing.</summary>
        public int Rank => (Corroborated ? 4 : 0) + (Standing == ReporterStanding.Established ? 2 : 0) + ((Standing & ReporterStanding.Actioned) == 0 ? 1 : 0);

        /// <summary>
        /// The person gave feedback again: the entry takes the latest time and standing, and stays corroborated while the
        /// earlier feedback it was corroborated by is within the day.
        /// </summary>
        public Entry Refreshed(Entry latest) =>
            latest.AtMs < AtMs
                ? this with { Corroborated = Corroborated || (latest.Corroborated && AtMs - latest.AtMs < EventTime.Day) }
                : latest with { Corroborated = latest.Corroborated || (Corroborated && latest.AtMs - AtMs < EventTime.Day) };
    }
}
