namespace ReputationGrid.Scoring.BusinessAccounts;

/// <summary>
/// What a business knows about each person it deals with: when it last opened a conversation with them, when it last
/// reached them, when they last wrote to it, and whether they opted in or out. An open-addressing table keyed by 32
/// bits of the person's id hash; it grows by doubling up to <see cref="MaxCapacity"/> entries, and when full it drops
/// people it has neither heard from nor reached within the quality window and who gave no consent either way. At most
/// 1 in about 4 billion pairs of people share a key (then they count as one person). A person that finds no room in
/// a full table is unknown: a new recipient without consent.
/// Times are stored as minutes of event time, so times here are exact to the minute.
/// </summary>
public sealed class RecipientTable
{
    public const int InitialCapacity = 64;
    public const int MaxCapacity = 1 << 15;
    private const int Never = int.MinValue;

    private Entry[] _entries = new Entry[InitialCapacity];
    private int _count;

    public int Count => _count;

    public int Capacity => _entries.Length;

    /// <summary>The person's entry when <paramref name="found"/>; else the empty slot the person would take (do not write it).</summary>
    public ref Entry Find(ulong personHash, out bool found) => ref FindKey(KeyOf(personHash), out found);

    private ref Entry FindKey(uint key, out bool found)
    {
        var mask = _entries.Length - 1;
        for (var i = (int)(key & (uint)mask); ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.Key == key || entry.Key == 0)
            {
                found = entry.Key == key;
                return ref entry;
            }
        }
    }

    /// <summary>
    /// The person's entry, added when new. <paramref name="added"/> is false when the table is full and the person is
    /// unknown to it: the returned entry is then a scratch copy that is not kept.
    /// </summary>
    public ref Entry Upsert(ulong personHash, long nowMs, long staleAfterMs, out bool added)
    {
        ref var entry = ref Find(personHash, out var found);
        if (found)
        {
            added = true;
            return ref entry;
        }

        if ((_count + 1) * 4 > _entries.Length * 3)
        {
            Rebuild(nowMs, staleAfterMs);
            if ((_count + 1) * 4 > _entries.Length * 3)
            {
                added = false;
                _scratch = Entry.New(KeyOf(personHash));
                return ref _scratch;
            }

            entry = ref FindKey(KeyOf(personHash), out _);
        }

        entry = Entry.New(KeyOf(personHash));
        _count++;
        added = true;
        return ref entry;
    }

    private Entry _scratch;

    /// <summary>Grows the table, or at its largest drops the people that no longer matter.</summary>
    private void Rebuild(long nowMs, long staleAfterMs)
    {
        var old = _entries;
        var capacity = old.Length < MaxCapacity ? old.Length * 2 : old.Length;
        var dropStale = capacity == old.Length;
        var staleBefore = MinuteOf(nowMs - staleAfterMs);
        _entries = new Entry[capacity];
        _count = 0;
        foreach (var entry in old)
        {
            if (entry.Key != 0 && !(dropStale && entry.IsStale(staleBefore)))
            {
                ref var slot = ref FindKey(entry.Key, out _);
                slot = entry;
                _count++;
            }
        }
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write7BitEncodedInt(_count);
        foreach (var entry in _entries)
        {
            if (entry.Key != 0)
            {
                writer.Write(entry.Key);
                writer.Write(entry.OpenedMinute);
                writer.Write(entry.ReachedMinute);
                writer.Write(entry.InboundMinute);
                writer.Write((byte)entry.Consent);
            }
        }
    }

    internal void Read(BinaryReader reader)
    {
        var count = reader.Read7BitEncodedInt();
        if (count < 0 || count > MaxCapacity * 3 / 4)
        {
            throw new InvalidDataException($"{count} business recipients exceed the limit of {MaxCapacity * 3 / 4}.");
        }

        var capacity = InitialCapacity;
        while (count * 4 > capacity * 3)
        {
            capacity *= 2;
        }

        _entries = new Entry[capacity];
        _count = 0;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadUInt32();
            if (key == 0)
            {
                throw new InvalidDataException("Business recipients hold an empty key.");
            }

            ref var slot = ref FindKey(key, out var found);
            if (found)
            {
                throw new InvalidDataException("Business recipients hold a repeated key.");
            }

            slot = new Entry
            {
                Key = key,
                OpenedMinute = reader.ReadInt32(),
                ReachedMinute = reader.ReadInt32(),
                InboundMinute = reader.ReadInt32(),
                Consent = ReadConsent(reader.ReadByte()),
            };
            _count++;
        }
    }

    private static Consent ReadConsent(byte code) => code <= (byte)Consent.OptedOut
        ? (Consent)code
        : throw new InvalidDataException($"Unknown consent {code}.");

    // 0 marks an empty slot, so a key that would be 0 is moved to 1.
    private static uint KeyOf(ulong hash) => (uint)(hash >> 32) is var key && key != 0 ? key : 1;

    public static int MinuteOf(long ms) => (int)Math.Clamp(ms / EventTime.Minute, int.MinValue + 1, int.MaxValue);

    public static long MsOf(int minute) => minute * EventTime.Minute;

    /// <summary>One person, as a business knows them.</summary>
    public struct Entry
    {
        internal uint Key;

        /// <summary>When the business last opened a conversation with the person (minutes of event time).</summary>
        public int OpenedMinute;

        /// <summary>When the business last reached the person with a new conversation of either kind.</summary>
        public int ReachedMinute;

        /// <summary>When the person last wrote to the business.</summary>
        public int InboundMinute;

        public Consent Consent;

        internal static Entry New(uint key) => new() { Key = key, OpenedMinute = Never, ReachedMinute = Never, InboundMinute = Never };

        internal readonly bool IsStale(int staleBeforeMinute) =>
            Consent == Consent.Unknown && OpenedMinute < staleBeforeMinute && ReachedMinute < staleBeforeMinute && InboundMinute < staleBeforeMinute;

        public static bool Within(int minute, long nowMs, long windowMs) => minute != Never && nowMs - MsOf(minute) < windowMs;
    }
}
