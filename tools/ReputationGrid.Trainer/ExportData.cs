using System.Text.Json;
using ReputationGrid.Scoring;

namespace ReputationGrid.Trainer;

/// <summary>
/// Labelled accounts from a running service's export (the bodies of <c>GET /v1/labels/export</c>): each account's
/// latest label by its time, with every snapshot kept for it. There are no seeds, so accounts are split into training
/// and test by a stable hash of their id.
/// </summary>
public static class ExportData
{
    /// <summary>The share of accounts held out for the test.</summary>
    public const double TestShare = 0.2;

    public static IReadOnlyList<LabelledAccount> Read(IEnumerable<string> documents)
    {
        var accounts = new Dictionary<string, LabelledAccount>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            using var json = JsonDocument.Parse(document);
            foreach (var entry in json.RootElement.GetProperty("accounts").EnumerateArray())
            {
                var id = entry.GetProperty("account").GetString()!;
                var labels = entry.GetProperty("labels").EnumerateArray().ToList();
                if (labels.Count == 0)
                {
                    continue;
                }

                var latest = labels.MaxBy(l => l.GetProperty("at").GetDateTimeOffset());

                var snapshots = entry.GetProperty("snapshots").EnumerateArray()
                    .Select(s => SimulatorData.Values(s.GetProperty("features").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble())))
                    .ToList();
                accounts[id] = new LabelledAccount(id, "labelled", latest.GetProperty("label").GetString() == "abuse", false, false, null, snapshots);
            }
        }

        return [.. accounts.Values.OrderBy(a => a.Account, StringComparer.Ordinal)];
    }

    /// <summary>Whether the account is held out for the test: the same answer for the same id on every run.</summary>
    public static bool IsTest(string account) => IdHash.Of(account) % 100 < TestShare * 100;
}
