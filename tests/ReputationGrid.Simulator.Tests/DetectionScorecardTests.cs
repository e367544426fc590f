using ReputationGrid.Scoring.Policy;
using ReputationGrid.Simulator.Population;
using ReputationGrid.Simulator.Running;
using ReputationGrid.Simulator.Scorecards;
using ReputationGrid.Simulator.Traffic;

namespace ReputationGrid.Simulator.Tests;

/// <summary>One small default-shaped population (2,000 accounts, 24 simulated hours) played once through an in-process cluster.</summary>
public sealed class SmallPopulationFixture : IAsyncLifetime
{
    public static readonly PopulationSettings Settings = new(2_000, TimeSpan.FromHours(24), PopulationSettings.DefaultStart, Seed: 1);

    public Scorecard Scorecard { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await using var target = await ClusterTarget.StartAsync(new Dictionary<string, string?>());
        var result = await Simulation.RunAsync(new PopulationPlan(Settings), target, parallelism: 32, cancellationToken: TestContext.Current.CancellationToken);
        Scorecard = Scorecard.From(result);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The detection targets of issues 6, 24, 29 and 31 on a small population with the default policy.</summary>
public sealed class DetectionScorecardTests(SmallPopulationFixture population) : IClassFixture<SmallPopulationFixture>
{
    private Scorecard Scorecard => population.Scorecard;

    public static TheoryData<string> BulkScenarios() =>
        [.. AccountKinds.All.Where(k => k.RecallTarget).Select(k => k.Label)];

    public static TheoryData<string> SustainedScenarios() =>
        [.. AccountKinds.All.Where(k => k.Sustained).Select(k => k.Label)];

    public static TheoryData<string> FarmScenarios() =>
        [.. AccountKinds.All.Where(k => k.Farm).Select(k => k.Label)];

    public static TheoryData<string> HonestBusinesses() =>
        [.. AccountKinds.All.Where(k => k.BusinessTier is not null && k.Honest).Select(k => k.Label)];

    public static TheoryData<string> AbusiveBusinesses() =>
        [.. AccountKinds.All.Where(k => k.BusinessTier is not null && !k.Honest).Select(k => k.Label)];

    private ScenarioResult Scenario(string label) => Scorecard.Scenarios.Single(s => s.Label == label);

    private BusinessResult Business(string label) => Scorecard.Business.Single(b => b.Label == label);

    [Theory]
    [MemberData(nameof(HonestBusinesses))]
    public void No_honest_business_is_actioned_beside_its_tier_limit(string label)
    {
        var business = Business(label);
        Assert.True(business.Accounts > 0);
        Assert.Equal(0, business.AnyAction);
    }

    [Fact]
    public void A_brand_beyond_its_tier_is_held_at_the_limit_and_nothing_more()
    {
        var brand = Business(AccountKinds.Info(AccountKind.BusinessBrand).Label);
        Assert.True(brand.TierLimited > 0);
        Assert.Equal(0, brand.OverLimit);
    }

    [Theory]
    [MemberData(nameof(AbusiveBusinesses))]
    public void Abusive_businesses_never_open_more_than_their_tier_allows_and_never_gain_a_tier(string label)
    {
        var business = Business(label);
        Assert.True(business.Accounts > 0);
        Assert.Equal((0, 0), (business.OverLimit, business.EndedHigher));
    }

    [Fact]
    public void A_business_whose_quality_collapses_moves_down_a_tier()
    {
        var collapse = Business(AccountKinds.Info(AccountKind.BusinessQualityCollapse).Label);
        Assert.Equal(collapse.Accounts, collapse.EndedLower);
    }

    private HonestResult AllHonest => Scorecard.Honest.Single(h => h.Label == HonestResult.AllLabel);

    [Theory]
    [MemberData(nameof(BulkScenarios))]
    public void At_least_99_percent_of_each_bulk_scenario_is_actioned(string label)
    {
        var scenario = Scenario(label);
        var share = AccountKinds.All.Single(k => k.Label == label).Share;
        Assert.Equal((int)Math.Round(SmallPopulationFixture.Settings.Accounts * share), scenario.Accounts);
        Assert.True(scenario.Recall.Throttle >= 0.99, $"{label}: recall {scenario.Recall.Throttle:P1}");
    }

    [Theory]
    [MemberData(nameof(SustainedScenarios))]
    public void At_least_95_percent_of_each_sustained_scenario_is_suspended_within_2_hours_and_at_most_10_percent_gets_through(string label)
    {
        var scenario = Scenario(label);
        Assert.True(scenario.SuspendedWithin >= 0.95, $"{label}: suspended within 2 h {scenario.SuspendedWithin:P1}");
        Assert.True(scenario.DeliveredShare <= 0.10, $"{label}: delivered {scenario.Delivered} of {scenario.Attempts} attempted");
    }

    [Fact]
    public void Every_adaptive_abuser_delivers_at_most_20_messages_to_strangers_a_day_before_suspension()
    {
        var adaptive = AccountKinds.All.Where(k => k.Adapts != Adaptation.None).Select(k => Scenario(k.Label)).ToList();
        Assert.Equal(3, adaptive.Count);
        Assert.All(adaptive, s => Assert.True(s.EvasionBudget <= 20, $"{s.Label}: evasion budget {s.EvasionBudget} a day"));
        Assert.All(Scorecard.Scenarios.Except(adaptive), s => Assert.Null(s.EvasionBudget));
    }

    [Fact]
    public void A_new_account_burst_is_actioned_within_10_messages_and_banned_within_50()
    {
        var burst = Scenario(AccountKinds.Info(AccountKind.NewAccountBurst).Label);
        Assert.InRange(burst.DeliveredBeforeAction.Median!.Value, 0, 10);
        Assert.InRange(burst.DeliveredBeforeBan.Median!.Value, 0, 50);
        Assert.True(burst.Recall.Ban >= 0.99, $"banned: {burst.Recall.Ban:P1}");
    }

    [Fact]
    public void No_honest_account_is_suspended_banned_or_challenged_and_at_most_1_percent_is_actioned()
    {
        // On a small population the 0.01% and 0.1% of honest people round down to no account at all.
        var honest = AllHonest;
        Assert.Equal(0, honest.SuspendOrBan);
        Assert.Equal(0, honest.ChallengeOrWorse);
        Assert.InRange(honest.AnyAction, 0, honest.Accounts / 100);
        var plan = new PopulationPlan(SmallPopulationFixture.Settings);
        Assert.Equal(Enumerable.Range(0, plan.Count).Count(i => AccountKinds.Info(plan.KindOf(i)).Honest), honest.Accounts);
    }

    [Theory]
    [MemberData(nameof(FarmScenarios))]
    public void At_least_95_percent_of_each_farm_is_suspended_and_its_median_account_delivers_at_most_20_messages_before_its_first_action(string label)
    {
        var farm = Scenario(label);
        Assert.True(farm.RecallTarget);
        Assert.True(farm.Recall.Suspend >= 0.95, $"{label}: suspended or worse {farm.Recall.Suspend:P1}");
        Assert.InRange(farm.DeliveredBeforeAction.Median!.Value, 0, 20);
    }

    [Fact]
    public void The_scorecard_reports_the_policy_and_meets_its_own_targets()
    {
        Assert.Equal(new ScoringPolicy().Version, Scorecard.Run.PolicyVersion);
        Assert.All(Scorecard.Targets, target => Assert.True(target.Met, $"{target.Name}: {target.Measured}"));
        Assert.Equal(AccountKinds.All.Count, Scorecard.Samples.Count);
    }

    [Fact]
    public async Task The_report_files_are_written_and_the_markdown_links_the_picture()
    {
        var directory = Directory.CreateTempSubdirectory("scorecard-").FullName;
        try
        {
            await ScorecardReport.WriteAsync(Scorecard, directory, TestContext.Current.CancellationToken);
            var markdown = await File.ReadAllTextAsync(Path.Combine(directory, ScorecardReport.MarkdownFile), TestContext.Current.CancellationToken);
            var svg = await File.ReadAllTextAsync(Path.Combine(directory, ScorecardReport.ChartFile), TestContext.Current.CancellationToken);
            var json = await File.ReadAllTextAsync(Path.Combine(directory, ScorecardReport.JsonFile), TestContext.Current.CancellationToken);

            Assert.Contains($"]({ScorecardReport.ChartFile})", markdown);
            Assert.All(Scorecard.Scenarios, s => Assert.Contains($"| {s.Label}", markdown));
            Assert.StartsWith("<svg", svg);
            Assert.EndsWith("</svg>", svg.TrimEnd());
            Assert.All(AccountKinds.All, k => Assert.Contains($">{k.Label}<", svg));
            Assert.Equal(ScorecardReport.Json(Scorecard), json);
            System.Xml.Linq.XDocument.Parse(svg); // well-formed
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
