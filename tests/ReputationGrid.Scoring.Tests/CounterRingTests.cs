using ReputationGrid.Scoring.Windows;

namespace ReputationGrid.Scoring.Tests;

public sealed class CounterRingTests
{
    private static readonly long T0 = EventTime.ToMs(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Sums_only_the_buckets_inside_the_span()
    {
        var ring = new CounterRing<ushort>(TimeSpan.FromMinutes(1), 60, 2);
        ring.Add(T0, 0, 3);
        ring.Add(T0 + 5 * EventTime.Minute, 0, 4);
        ring.Add(T0 + 5 * EventTime.Minute, 1, 9);

        Assert.Equal(7, ring.Sum(T0 + 5 * EventTime.Minute, 0, 10));
        Assert.Equal(4, ring.Sum(T0 + 5 * EventTime.Minute, 0, 5));
        Assert.Equal(9, ring.Sum(T0 + 5 * EventTime.Minute, 1, 60));
    }

    [Fact]
    public void Out_of_order_events_inside_the_horizon_land_in_their_own_bucket()
    {
        var ring = new CounterRing<ushort>(TimeSpan.FromMinutes(1), 60, 1);
        ring.Add(T0 + 30 * EventTime.Minute, 0);
        ring.Add(T0 + 2 * EventTime.Minute, 0); // late, still inside the hour
        ring.Add(T0 - 40 * EventTime.Minute, 0); // older than the horizon: dropped

        Assert.Equal(2, ring.Sum(T0 + 30 * EventTime.Minute, 0, 60));
        Assert.Equal(1, ring.Sum(T0 + 30 * EventTime.Minute, 0, 10));
    }

    [Fact]
    public void Old_buckets_expire_as_time_moves_on()
    {
        var ring = new CounterRing<ushort>(TimeSpan.FromSeconds(1), 16, 1);
        ring.Add(T0, 0, 5);
        ring.Add(T0 + 20 * EventTime.Second, 0, 1);

        Assert.Equal(1, ring.Sum(T0 + 20 * EventTime.Second, 0, 15));
        Assert.Equal(0, ring.Sum(T0 + 60 * EventTime.Second, 0, 15));
    }

    [Fact]
    public void Sums_match_a_plain_list_of_events_as_the_ring_wraps_around()
    {
        // Gaps from one bucket to more than the whole ring, some events late: every way the head moves and wraps.
        var ring = new CounterRing<ushort>(TimeSpan.FromSeconds(1), 16, 2);
        var kept = new List<(long Bucket, int Channel, int Amount)>();
        var random = new Random(3);
        var head = long.MinValue;
        var at = T0;
        for (var i = 0; i < 2_000; i++)
        {
            at += random.Next(4) switch { 0 => 0, 1 => EventTime.Second, 2 => random.Next(2, 8) * EventTime.Second, _ => random.Next(0, 40) * EventTime.Second };
            var eventAt = random.Next(5) == 0 ? at - random.Next(0, 20) * EventTime.Second : at;
            var (bucket, channel, amount) = (eventAt / EventTime.Second, random.Next(2), random.Next(1, 5));
            ring.Add(eventAt, channel, amount);
            if (head == long.MinValue || bucket > head - 16)
            {
                kept.Add((bucket, channel, amount));
                head = Math.Max(head, bucket);
            }

            var span = random.Next(1, 20);
            var until = at / EventTime.Second;
            var expected = kept
                .Where(e => e.Channel == channel && e.Bucket > Math.Max(until - span, head - 16) && e.Bucket <= Math.Min(until, head))
                .Sum(e => e.Amount);
            Assert.Equal(expected, ring.Sum(at, channel, span));
        }
    }

    [Fact]
    public void Summing_every_channel_at_once_matches_summing_each()
    {
        var random = new Random(11);
        var ring = new CounterRing<ushort>(TimeSpan.FromSeconds(1), 16, 3);
        Span<long> totals = stackalloc long[3];
        var at = T0;
        for (var i = 0; i < 2_000; i++)
        {
            at += random.Next(0, 6) * EventTime.Second;
            ring.Add(at - random.Next(0, 20) * EventTime.Second, random.Next(3), random.Next(1, 5));
            var (when, span) = (at + random.Next(0, 20) * EventTime.Second, random.Next(1, 20));
            ring.SumChannels(when, span, totals);
            for (var channel = 0; channel < 3; channel++)
            {
                Assert.Equal(ring.Sum(when, channel, span), totals[channel]);
            }
        }
    }

    [Fact]
    public void Summing_every_channel_needs_a_total_per_channel()
    {
        var ring = new CounterRing<byte>(TimeSpan.FromSeconds(1), 4, 2);
        Assert.Throws<ArgumentException>(() => ring.SumChannels(T0, 4, new long[3]));
    }

    [Fact]
    public void Counts_saturate_instead_of_wrapping()
    {
        var ring = new CounterRing<ushort>(TimeSpan.FromMinutes(1), 4, 1);
        ring.Add(T0, 0, 70_000);
        ring.Add(T0, 0, 10);

        Assert.Equal(ushort.MaxValue, ring.Sum(T0, 0, 1));
        Assert.Equal(ushort.MaxValue, ring.Sum(T0, 0, 4));
    }

    [Fact]
    public void A_count_type_whose_totals_could_overflow_is_refused()
    {
        var refused = Assert.Throws<ArgumentException>(() => new CounterRing<uint>(TimeSpan.FromMinutes(1), 2, 1));
        Assert.Contains("overflow", refused.Message);
        _ = new CounterRing<ushort>(TimeSpan.FromMinutes(1), 32_000, 1);
    }

    [Fact]
    public void A_shape_outside_what_the_ring_holds_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterRing<byte>(TimeSpan.FromSeconds(1), 70_000, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterRing<byte>(TimeSpan.FromSeconds(1), 60, 256));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterRing<byte>(TimeSpan.FromDays(30), 60, 1));
        _ = new CounterRing<byte>(TimeSpan.FromDays(24), 65_535, 255);
    }

    [Fact]
    public void Round_trips_through_its_sparse_encoding()
    {
        var ring = new CounterRing<ushort>(TimeSpan.FromHours(1), 24, 3);
        ring.Add(T0, 0, 1);
        ring.Add(T0 + 3 * EventTime.Hour, 2, 500);
        var copy = new CounterRing<ushort>(TimeSpan.FromHours(1), 24, 3);

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            ring.Write(writer);
        }

        buffer.Position = 0;
        copy.Read(new BinaryReader(buffer));

        Assert.Equal(1, copy.Sum(T0 + 3 * EventTime.Hour, 0, 24));
        Assert.Equal(500, copy.Sum(T0 + 3 * EventTime.Hour, 2, 24));
    }
}
