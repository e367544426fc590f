using System.Numerics;

namespace ReputationGrid.Scoring.Sketches;

/// <summary>
/// How many distinct recipients each recent content fingerprint reached within an hour of its first use.
/// Tracks a few fingerprints at once (least recently used is replaced) with a 256-bit linear-counting
/// bitmap of recipients each, so memory is fixed whatever the traffic.
/// A mutable struct held inline by the account's behaviour, as <see cref="Windows.CounterRing{TCount}"/> is.
/// </summary>
public struct FingerprintFanout
{
    public const int Slots = 4;
    public static readonly long WindowMs = EventTime.Hour;
    private const int Bits = 256;

    private Slot[]? _slots;

    public void Add(long atMs, ulong fingerprint, ulong recipient)
    {
        _slots ??= new Slot[Slots];
        var index = Find(fingerprint);
        if (index < 0)
        {
            index = LeastRecentlyUsed();
            _slots[index] = new Slot { Fingerprint = fingerprint, StartMs = atMs, LastMs = atMs };
        }
        else if (atMs - _slots[index].StartMs > WindowMs)
        {
            _slots[index] = new Slot { Fingerprint = fingerprint, StartMs = atMs, LastMs = atMs };
        }

        ref var slot = ref _slots[index];
        slot.LastMs = Math.Max(slot.LastMs, atMs);
        slot.StartMs = Math.Min(slot.StartMs, atMs);
        var bit = (int)(recipient % Bits);
        slot.Recipients[bit / 64] |= 1UL << (bit % 64);
    }

    /// <summary>The largest distinct-recipient estimate of any fingerprint used within the hour before <paramref name="atMs"/>.</summary>
    public readonly double MaxFanout(long atMs)
    {
        if (_slots is null)
        {
            return 0;
        }

        double max = 0;
        foreach (ref readonly var slot in _slots.AsSpan())
        {
            if (slot.LastMs != 0 && atMs - slot.LastMs <= WindowMs)
            {
                max = Math.Max(max, slot.EstimateRecipients());
            }
        }

        return max;
    }

    internal readonly void Write(BinaryWriter writer)
    {
        var used = _slots?.Count(s => s.LastMs != 0) ?? 0;
        writer.Write7BitEncodedInt(used);
        if (_slots is null)
        {
            return;
        }

        foreach (var slot in _slots.Where(s => s.LastMs != 0))
        {
            writer.Write(slot.Fingerprint);
            writer.Write(slot.StartMs);
            writer.Write(slot.LastMs);
            for (var i = 0; i < Bits / 64; i++)
            {
                writer.Write(slot.Recipients[i]);
            }
        }
    }

    internal void Read(BinaryReader reader)
    {
        var used = reader.Read7BitEncodedInt();
        if (used is < 0 or > Slots)
        {
            throw new InvalidDataException($"{used} fingerprint slots exceed {Slots}.");
        }

        _slots = used == 0 ? null : new Slot[Slots];
        for (var i = 0; i < used; i++)
        {
            ref var slot = ref _slots![i];
            slot.Fingerprint = reader.ReadUInt64();
            slot.StartMs = reader.ReadInt64();
            slot.LastMs = reader.ReadInt64();
            for (var word = 0; word < Bits / 64; word++)
            {
                slot.Recipients[word] = reader.ReadUInt64();
            }
        }
    }

    private readonly int Find(ulong fingerprint)
    {
        for (var i = 0; i < Slots; i++)
        {
            if (_slots![i].LastMs != 0 && _slots[i].Fingerprint == fingerprint)
            {
                return i;
            }
        }

        return -1;
    }

    private readonly int LeastRecentlyUsed()
    {
        var oldest = 0;
        for (var i = 1; i < Slots; i++)
        {
            if (_slots![i].LastMs < _slots[oldest].LastMs)
            {
                oldest = i;
            }
        }

        return oldest;
    }

    private struct Slot
    {
        public ulong Fingerprint;
        public long StartMs;
        public long LastMs; // 0 marks an unused slot
        public RecipientBits Recipients;

        public readonly double EstimateRecipients()
        {
            var empty = 0;
            for (var i = 0; i < Bits / 64; i++)
            {
                empty += 64 - BitOperations.PopCount(Recipients[i]);
            }

            // Linear counting; a full bitmap saturates at its largest meaningful estimate.
            return Bits * Math.Log(Bits / (double)Math.Max(empty, 1));
        }
    }

    [System.Runtime.CompilerServices.InlineArray(Bits / 64)]
    private struct RecipientBits
    {
        private ulong _word;
    }
}
