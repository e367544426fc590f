using ReputationGrid.Scoring.Policy;
using ReputationGrid.Scoring.Sketches;

namespace ReputationGrid.Scoring.Tests;

public sealed class SketchTests
{
    private static readonly long T0 = EventTime.ToMs(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Distinct_counter_is_exact_up_to_its_capacity()
    {
        var counter = new DistinctCounter();
        for (var i = 0; i < DistinctCounter.ExactCapacity; i++)
        {
            counter.Add(IdHash.Of($"user-{i}"));
            counter.Add(IdHash.Of($"user-{i}"));
        }

        Assert.False(counter.IsSketch);
        Assert.Equal(DistinctCounter.ExactCapacity, counter.Estimate());
        Assert.True(counter.Contains(IdHash.Of("user-3")));
        Assert.False(counter.Contains(IdHash.Of("someone-else")));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(5_000)]
    [InlineData(100_000)]
    public void Distinct_counter_estimates_within_the_sketch_error_beyond_capacity(int distinct)
    {
        var counter = new DistinctCounter();
        for (var i = 0; i < distinct; i++)
        {
            counter.Add(IdHash.Of($"recipient:{i}"));
        }

        Assert.True(counter.IsSketch);
        Assert.Null(counter.Contains(IdHash.Of("recipient:1")));
        Assert.InRange(counter.Estimate(), distinct * 0.8, distinct * 1.2);
    }

    [Fact]
    public void Union_of_counters_counts_shared_values_once()
    {
        var first = new DistinctCounter();
        var second = new DistinctCounter();
        for (var i = 0; i < 40; i++)
        {
            first.Add(IdHash.Of($"a{i}"));
            second.Add(IdHash.Of($"a{i + 20}"));
        }

        Assert.Equal(60, DistinctCounter.EstimateUnion(first, second));
        for (var i = 0; i < 1000; i++)
        {
            second.Add(IdHash.Of($"b{i}"));
        }

        Assert.InRange(DistinctCounter.EstimateUnion(first, second), 1060 * 0.85, 1060 * 1.15);
    }

    [Fact]
    public void Union_of_two_sketches_is_the_sketch_of_all_their_values()
    {
        var first = new DistinctCounter();
        var second = new DistinctCounter();
        var both = new DistinctCounter();
        for (var i = 0; i < 3000; i++)
        {
            var value = IdHash.Of($"v{i}");
            if (i < 2000)
            {
                first.Add(value);
            }

            if (i >= 1000)
            {
                second.Add(value);
            }

            both.Add(value);
        }

        Assert.True(first.IsSketch && second.IsSketch);
        Assert.Equal(both.Estimate(), DistinctCounter.EstimateUnion(first, second));
        Assert.Equal(both.Estimate(), DistinctCounter.EstimateUnion(second, first));
    }

    [Fact]
    public void A_sketch_is_estimated_by_the_HyperLogLog_formula()
    {
        var random = new Random(5);
        var registers = new byte[DistinctCounter.Registers];
        random.NextBytes(registers);
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] %= 26; // ranks 0 to 25, the most a 32-bit hash leaves after its 8 index bits
        }

        // Past 2.5 registers' worth, where the raw estimate is used rather than linear counting.
        const double alpha = 0.7213 / (1 + 1.079 / DistinctCounter.Registers);
        var expected = alpha * DistinctCounter.Registers * DistinctCounter.Registers / registers.Sum(rank => Math.ScaleB(1.0, -rank));
        Assert.True(expected > 2.5 * DistinctCounter.Registers);
        Assert.Equal(expected, ReadSketch(registers).Estimate());
    }

    [Fact]
    public void A_stored_sketch_with_an_impossible_rank_is_rejected()
    {
        var registers = new byte[DistinctCounter.Registers];
        registers[7] = 26;

        var error = Assert.Throws<InvalidDataException>(() => ReadSketch(registers));
        Assert.Contains("rank above 25", error.Message);
    }

    [Fact]
    public void Rolling_distinct_says_whether_a_value_is_new_to_the_day()
    {
        var rolling = new RollingDistinct();

        Assert.True(rolling.Add(T0, IdHash.Of("a")));
        Assert.False(rolling.Add(T0 + 1, IdHash.Of("a")));
        Assert.False(rolling.Add(T0 + RollingDistinct.PeriodMs, IdHash.Of("a"))); // seen in the previous period, still within the day
        Assert.True(rolling.Add(T0 + 3 * RollingDistinct.PeriodMs, IdHash.Of("a"))); // both periods aged out
        Assert.False(rolling.Add(T0, IdHash.Of("b"))); // older than the day: not counted
    }

    [Fact]
    public void Rolling_distinct_forgets_periods_older_than_a_day()
    {
        var rolling = new RollingDistinct();
        rolling.Add(T0, IdHash.Of("old"));
        rolling.Add(T0 + RollingDistinct.PeriodMs, IdHash.Of("new"));

        Assert.Equal(2, rolling.Estimate(T0 + RollingDistinct.PeriodMs));
        rolling.Add(T0 + 2 * RollingDistinct.PeriodMs, IdHash.Of("newer"));
        Assert.Equal(2, rolling.Estimate(T0 + 2 * RollingDistinct.PeriodMs));
        Assert.False(rolling.Contains(IdHash.Of("old")));
    }

    [Fact]
    public void Rolling_distinct_keeps_the_estimate_of_its_periods_union_through_late_values_rotations_sketches_and_round_trips()
    {
        // A model of what the last day holds: the values of each half-day period, as the rolling counter keeps them.
        // Past 64 values a period is a sketch; the kept estimate must then equal one computed afresh by a copy just read.
        var random = new Random(11);
        var periods = new Dictionary<long, HashSet<string>>();
        var rolling = new RollingDistinct();
        var newest = 0L;
        for (var step = 0; step < 5_000; step++)
        {
            // Mostly the newest period, sometimes the one before it (late events), sometimes the next one or a gap.
            var advance = random.Next(1_000) switch { < 4 => 1, 4 => 3, _ => 0 };
            newest += advance;
            var period = random.Next(10) == 0 ? newest - 1 : newest;
            var value = $"recipient-{random.Next(newest % 3 == 0 ? 400 : 40)}"; // some periods are sketches
            rolling.Add(T0 + period * RollingDistinct.PeriodMs + random.Next(1_000), IdHash.Of(value));
            if (period >= newest - 1)
            {
                periods.TryAdd(period, []);
                periods[period].Add(value);
            }

            if (step % 50 == 0)
            {
                rolling = RoundTrip(rolling);
            }

            var at = T0 + newest * RollingDistinct.PeriodMs + RollingDistinct.PeriodMs / 2;
            var (current, previous) = (periods.GetValueOrDefault(newest) ?? [], periods.GetValueOrDefault(newest - 1) ?? []);
            if (current.Count <= DistinctCounter.ExactCapacity && previous.Count <= DistinctCounter.ExactCapacity)
            {
                Assert.Equal(current.Union(previous).Count(), rolling.Estimate(at));
            }

            Assert.Equal(RoundTrip(rolling).Estimate(at), rolling.Estimate(at));
            Assert.Equal(RoundTrip(rolling).Estimate(at + RollingDistinct.PeriodMs), rolling.Estimate(at + RollingDistinct.PeriodMs));
        }
    }

    [Fact]
    public void Rolling_distinct_follows_its_union_register_by_register_once_a_period_is_a_sketch()
    {
        // A sketched day beside an empty one, then beside a new period that counts exactly and then is sketched too,
        // with late values for the day before: after every value, the estimate kept as values arrived must be the
        // one a copy just read computes from all the registers, and close to the values' true count.
        var rolling = new RollingDistinct();
        var values = new HashSet<string>();
        for (var i = 0; i < 3_000; i++)
        {
            var newest = i < 1_000 ? 0 : 1;
            var period = newest == 1 && i % 7 == 0 ? 0 : newest;
            var value = $"recipient-{i % 2_400}";
            rolling.Add(T0 + period * RollingDistinct.PeriodMs + i, IdHash.Of(value));
            values.Add(value);

            var at = T0 + newest * RollingDistinct.PeriodMs + RollingDistinct.PeriodMs / 2;
            Assert.Equal(RoundTrip(rolling).Estimate(at), rolling.Estimate(at));
        }

        Assert.InRange(rolling.Estimate(T0 + RollingDistinct.PeriodMs), values.Count * 0.85, values.Count * 1.15);
    }

    [Fact]
    public void Rolling_distinct_counts_exactly_again_once_a_sketched_period_has_aged_out()
    {
        var rolling = new RollingDistinct();
        for (var i = 0; i < 500; i++)
        {
            rolling.Add(T0, IdHash.Of($"crowd-{i}"));
        }

        for (var i = 0; i < 30; i++)
        {
            rolling.Add(T0 + RollingDistinct.PeriodMs, IdHash.Of($"friend-{i}"));
        }

        Assert.InRange(rolling.Estimate(T0 + RollingDistinct.PeriodMs), 530 * 0.85, 530 * 1.15);
        rolling.Add(T0 + 2 * RollingDistinct.PeriodMs, IdHash.Of("friend-0"));
        rolling.Add(T0 + 2 * RollingDistinct.PeriodMs, IdHash.Of("stranger"));
        Assert.Equal(31, rolling.Estimate(T0 + 2 * RollingDistinct.PeriodMs));
    }

    [Fact]
    public void Fingerprint_fanout_counts_distinct_recipients_of_one_fingerprint_within_an_hour()
    {
        var fanout = new FingerprintFanout();
        var fingerprint = IdHash.Of("sha256:abc");
        for (var i = 0; i < 50; i++)
        {
            fanout.Add(T0 + i * EventTime.Second, fingerprint, IdHash.Of($"r{i}"));
            fanout.Add(T0 + i * EventTime.Second, fingerprint, IdHash.Of($"r{i}"));
        }

        fanout.Add(T0, IdHash.Of("other"), IdHash.Of("r1"));

        Assert.InRange(fanout.MaxFanout(T0 + EventTime.Minute), 45, 56);
        Assert.Equal(0, fanout.MaxFanout(T0 + 3 * EventTime.Hour));
    }

    [Fact]
    public void Fingerprint_fanout_keeps_a_fixed_number_of_fingerprints()
    {
        var fanout = new FingerprintFanout();
        for (var i = 0; i < 100; i++)
        {
            fanout.Add(T0 + i, IdHash.Of($"f{i}"), IdHash.Of("r"));
        }

        var hot = IdHash.Of("hot");
        for (var i = 0; i < 30; i++)
        {
            fanout.Add(T0 + 1000 + i, hot, IdHash.Of($"r{i}"));
        }

        Assert.InRange(fanout.MaxFanout(T0 + 2000), 27, 33);
    }

    [Fact]
    public void Interval_regularity_separates_clockwork_from_people()
    {
        var clockwork = new IntervalRegularity();
        var person = new IntervalRegularity();
        var random = new Random(7);
        long personAt = T0;
        for (var i = 0; i < 50; i++)
        {
            clockwork.Add(T0 + i * 2 * EventTime.Second);
            personAt += (long)(random.NextDouble() * random.NextDouble() * 120_000) + 500;
            person.Add(personAt);
        }

        Assert.True(clockwork.Variation < 0.01, $"clockwork variation {clockwork.Variation}");
        Assert.True(person.Variation > 0.5, $"person variation {person.Variation}");
        Assert.Equal(49, clockwork.Intervals);
    }

    [Fact]
    public void Feedback_counts_each_person_once_and_splits_by_corroboration()
    {
        var log = new FeedbackLog();
        log.Add(T0, IdHash.Of("a"), corroborated: true, ReporterStanding.Established);
        log.Add(T0 + 1, IdHash.Of("a"), corroborated: true, ReporterStanding.Established);
        log.Add(T0 + 2, IdHash.Of("b"), corroborated: false, ReporterStanding.Established);
        log.Add(T0 - 2 * EventTime.Day, IdHash.Of("c"), corroborated: true, ReporterStanding.Established);

        Assert.Equal((1.0, 1.0), log.WeighedPeople(T0 + 10, new FeedbackPolicy()));
    }

    [Fact]
    public void Feedback_from_young_or_actioned_people_weighs_what_the_policy_says()
    {
        var policy = new FeedbackPolicy { YoungReporterWeight = 0.2, ActionedReporterWeight = 0.1 };
        var log = new FeedbackLog();
        log.Add(T0, IdHash.Of("young"), corroborated: true, ReporterStanding.Young);
        log.Add(T0, IdHash.Of("actioned"), corroborated: true, ReporterStanding.Actioned);
        log.Add(T0, IdHash.Of("both"), corroborated: false, ReporterStanding.Young | ReporterStanding.Actioned);

        var (corroborated, uncorroborated) = log.WeighedPeople(T0 + 10, policy);
        Assert.Equal(0.3, corroborated, 9);
        Assert.Equal(0.1, uncorroborated, 9);
    }

    [Fact]
    public void Feedback_flooded_by_one_person_keeps_everyone_else()
    {
        // Replays the attack: real reports, then one id blocking over and over; the log once kept only the latest 32.
        var log = new FeedbackLog();
        for (var i = 0; i < 5; i++)
        {
            log.Add(T0 + i, IdHash.Of($"recipient-{i}"), corroborated: true, ReporterStanding.Established);
        }

        for (var i = 0; i < 1000; i++)
        {
            log.Add(T0 + 10 + i, IdHash.Of("flooder"), corroborated: false, ReporterStanding.Established);
        }

        Assert.Equal((5.0, 1.0), log.WeighedPeople(T0 + 2000, new FeedbackPolicy()));
    }

    [Fact]
    public void Feedback_beyond_capacity_leaves_out_who_weighs_least_and_counts_them_at_the_least_weight()
    {
        var policy = new FeedbackPolicy();
        var log = new FeedbackLog();
        for (var i = 0; i < 10; i++)
        {
            log.Add(T0 + i, IdHash.Of($"recipient-{i}"), corroborated: true, ReporterStanding.Established);
        }

        for (var i = 0; i < 500; i++)
        {
            log.Add(T0 + 100 + i, IdHash.Of($"farm-{i}"), corroborated: false, ReporterStanding.Young);
        }

        var (corroborated, uncorroborated) = log.WeighedPeople(T0 + 1000, policy);
        Assert.Equal(10, corroborated);
        // 22 farm accounts kept, 478 left out: every one counted once at the least weight (the estimate is within 20 %).
        Assert.InRange(uncorroborated, 0.8 * 500 * policy.LeastWeight, 1.2 * 500 * policy.LeastWeight);
    }

    [Fact]
    public void Feedback_log_is_bounded_and_round_trips()
    {
        var log = new FeedbackLog();
        for (var i = 0; i < 1000; i++)
        {
            log.Add(T0 + i, IdHash.Of($"p{i}"), corroborated: i % 3 == 0, (ReporterStanding)(i % 4));
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            log.Write(writer);
        }

        Assert.True(buffer.Length < 2048, $"a flooded feedback log stores {buffer.Length} bytes");
        buffer.Position = 0;
        var read = new FeedbackLog();
        read.Read(new BinaryReader(buffer), AccountStateCodec.Current);
        Assert.Equal(log.WeighedPeople(T0 + 1000, new FeedbackPolicy()), read.WeighedPeople(T0 + 1000, new FeedbackPolicy()));
    }

    [Fact]
    public void Recipients_past_the_exact_set_are_remembered_with_few_false_positives()
    {
        // Replays the attack: a busy account's recipient check answered yes for everyone once it passed 64 recipients.
        var rolling = new RollingDistinct();
        for (var i = 0; i < MembershipFilter.Capacity; i++)
        {
            rolling.Add(T0 + i, IdHash.Of($"recipient-{i}"));
        }

        for (var i = 0; i < MembershipFilter.Capacity; i++)
        {
            Assert.True(rolling.Contains(IdHash.Of($"recipient-{i}")));
        }

        var strangers = 0;
        for (var i = 0; i < 10_000; i++)
        {
            strangers += rolling.Contains(IdHash.Of($"stranger-{i}")) ? 1 : 0;
        }

        Assert.True(strangers < 10_000 * 0.035, $"{strangers} of 10,000 strangers taken for recipients");
        var read = RoundTrip(rolling);
        Assert.True(read.Contains(IdHash.Of("recipient-300")));
        Assert.Equal(rolling.Contains(IdHash.Of("stranger-1")), read.Contains(IdHash.Of("stranger-1")));
    }

    /// <summary>A counter read from the stored form of a sketch with these registers.</summary>
    private static RollingDistinct RoundTrip(RollingDistinct rolling)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            rolling.Write(writer);
        }

        buffer.Position = 0;
        var read = new RollingDistinct();
        read.Read(new BinaryReader(buffer), AccountStateCodec.Current);
        return read;
    }

    private static DistinctCounter ReadSketch(byte[] registers)
    {
        using var reader = new BinaryReader(new MemoryStream([2, .. registers]));
        var counter = new DistinctCounter();
        counter.Read(reader);
        return counter;
    }
}
