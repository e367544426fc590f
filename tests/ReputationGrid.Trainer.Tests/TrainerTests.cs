using System.Xml.Linq;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Trainer.Tests;

/// <summary>The trainer on small labelled sets it makes itself: what it learns, writes and reports.</summary>
public sealed class TrainerTests
{
    private static readonly int Strangers = NamedFeatures.IndexOf("unansweredStrangers24h");
    private static readonly int Replies = NamedFeatures.IndexOf("replyRatio24h");
    private static readonly int Sent = NamedFeatures.IndexOf("sent24h");

    /// <summary>Honest accounts reply and rarely message strangers; abusers message strangers who do not reply. The groups overlap a little.</summary>
    internal static List<LabelledAccount> Population(int seed, int honest, int abusive)
    {
        var random = new Random(seed);
        var accounts = new List<LabelledAccount>();
        for (var i = 0; i < honest + abusive; i++)
        {
            var abuse = i >= honest;
            var snapshots = new List<double[]>();
            for (var s = 0; s < 1 + random.Next(4); s++)
            {
                var values = new double[NamedFeatures.All.Length];
                values[Strangers] = abuse ? 10 + random.Next(80) : random.Next(12);
                values[Replies] = abuse ? random.NextDouble() * 0.3 : 0.2 + random.NextDouble() * 0.6;
                values[Sent] = 5 + random.Next(100);
                snapshots.Add(values);
            }

            accounts.Add(new LabelledAccount($"s{seed}-{i}", abuse ? "abuser" : "honest", abuse, abuse && i % 2 == 0, !abuse && i % 10 == 0, abuse && i % 5 != 0, snapshots));
        }

        return accounts;
    }

    [Fact]
    public async Task A_model_trained_on_a_small_labelled_set_separates_held_out_accounts_and_is_written_as_a_policy()
    {
        var directory = Directory.CreateTempSubdirectory("trainer-").FullName;
        try
        {
            var run = new TrainingRun
            {
                Train = Population(1, 300, 60),
                Test = Population(2, 300, 60),
                TrainSource = "seed 1",
                TestSource = "seed 2",
                HandPolicy = new ScoringPolicy(),
                FastTreeTrees = 10,
            };

            var report = await run.RunAsync(directory, TestContext.Current.CancellationToken);

            var linear = run.Evaluations[0];
            Assert.True(linear.RocArea > 0.95, $"AUC {linear.RocArea}");
            Assert.True(run.CoreAgreement < 1e-5, $"the core and ML.NET differ by {run.CoreAgreement}");
            var policy = PolicyDocument.Read(File.ReadAllText(Path.Combine(directory, TrainingRun.PolicyFile)), out var errors);
            Assert.Empty(errors);
            Assert.Equal(new ScoringPolicy().Version + "+model", policy!.Version);
            Assert.Contains(policy.Model!.Terms, term => term.Feature == "unansweredStrangers24h" && term.Weight > 0);
            Assert.Contains(policy.Model.Terms, term => term.Feature == "replyRatio24h" && term.Weight < 0);
            Assert.True(policy.Signals.ModelRisk.Full > policy.Signals.ModelRisk.Start);
            Assert.Equal(TrainingRun.SignalWeight, policy.Signals.ModelRisk.Weight);
            Assert.DoesNotContain(policy.Model.Terms, term => ModelTrainer.Excluded.Contains(term.Feature));
            foreach (var chart in new[] { TrainingRun.RocFile, TrainingRun.PrecisionRecallFile })
            {
                Assert.Equal("svg", XDocument.Load(Path.Combine(directory, chart)).Root!.Name.LocalName);
            }

            Assert.Contains("| hand policy (any action) |", report);
            Assert.Equal(report, File.ReadAllText(Path.Combine(directory, TrainingRun.EvaluationFile)));
            Assert.Contains("\"abusive\": 60", File.ReadAllText(Path.Combine(directory, TrainingRun.SummaryFile)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_threshold_for_an_honest_rate_flags_no_more_honest_accounts_than_the_rate_allows()
    {
        LabelledAccount Account(bool abuse, bool adaptive = false, bool hard = false) => new("a", "g", abuse, adaptive, hard, null, [new double[1]]);
        var accounts = new List<LabelledAccount>();
        accounts.AddRange(Enumerable.Range(0, 18).Select(_ => Account(false)));
        accounts.AddRange([Account(false, hard: true), Account(false, hard: true)]);
        accounts.AddRange([Account(true), Account(true), Account(true, adaptive: true), Account(true, adaptive: true)]);
        double[] scores = [.. Enumerable.Range(0, 18).Select(i => i / 100.0), 0.5, 0.95, 0.9, 0.6, 0.7, 0.1];

        var oneInTen = Evaluation.AtRate(accounts, scores, 0.1); // 2 of 20 honest allowed
        var none = Evaluation.AtRate(accounts, scores, 0.01);

        Assert.Equal((2, 0.17, 2, 0.75, 0.5, 1.0), (oneInTen.AllowedHonest, oneInTen.Threshold, oneInTen.FlaggedHonest, oneInTen.Recall, oneInTen.AdaptiveRecall, oneInTen.HardCaseRate));
        Assert.Equal((0, 0.95, 0, 0.0), (none.AllowedHonest, none.Threshold, none.FlaggedHonest, none.Recall));
        Assert.Equal(1, Evaluation.RocArea(Evaluation.Curve(accounts, [.. accounts.Select(a => a.Abuse ? 1.0 : 0.0)])), 9);
    }

    [Fact]
    public void An_export_gives_each_account_its_latest_label_and_every_snapshot()
    {
        const string Export = """
            { "accounts": [
              { "account": "acc-1",
                "labels": [ { "label": "legitimate", "reason": "challenge_passed", "at": "2026-11-01T10:00:00Z" },
                            { "label": "abuse", "reason": "operator_ban", "at": "2026-11-02T10:00:00Z" } ],
                "snapshots": [ { "at": "2026-11-01T09:00:00Z", "features": { "unansweredStrangers24h": 40, "sent24h": 50 } } ] },
              { "account": "acc-2", "labels": [], "snapshots": [] } ] }
            """;

        var accounts = ExportData.Read([Export]);

        var account = Assert.Single(accounts);
        Assert.Equal(("acc-1", true), (account.Account, account.Abuse));
        Assert.Equal(40, Assert.Single(account.Snapshots)[Strangers]);
        Assert.Equal(50, account.Snapshots[0][Sent]);
        Assert.Equal(ExportData.IsTest("acc-1"), ExportData.IsTest("acc-1"));
    }
}
