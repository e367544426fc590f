using System.Text.Json.Nodes;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Simulator.Traffic;

/// <summary>
/// A policy document given on the command line, as the <c>Policy:*</c> settings of the in-process silos: a new
/// cluster seeds its first version from them, so the run is scored under that document from its first decision.
/// </summary>
public static class PolicyFile
{
    /// <summary>The document's settings, or null with the reasons it is not a valid policy.</summary>
    public static Dictionary<string, string?>? Settings(string path, out IReadOnlyList<string> errors)
    {
        if (PolicyDocument.Read(File.ReadAllText(path), out errors) is not { } policy)
        {
            return null;
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Flatten(JsonNode.Parse(PolicyDocument.Write(policy))!, "Policy", settings);
        return settings;
    }

    private static void Flatten(JsonNode node, string key, Dictionary<string, string?> settings)
    {
        if (node is JsonObject values)
        {
            foreach (var (name, value) in values)
            {
                Flatten(value!, $"{key}:{name}", settings);
            }
        }
        else if (node is JsonArray items)
        {
            // Configuration binds a list from keys numbered from 0 (a model's terms).
            for (var i = 0; i < items.Count; i++)
            {
                Flatten(items[i]!, $"{key}:{i}", settings);
            }
        }
        else
        {
            // Strings as they are (durations, the version); numbers in the document's invariant notation.
            settings[key] = node is JsonValue text && text.TryGetValue<string>(out var value) ? value : node.ToJsonString();
        }
    }
}
