using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReputationGrid.Scoring.Policy;

/// <summary>
/// A <see cref="ScoringPolicy"/> as one JSON document, with the keys of the configuration section <c>Policy</c>
/// (read without regard to case, written in camel case; durations as <c>d.hh:mm:ss</c>). A key left out keeps its
/// default, as in configuration; an unknown or repeated key is an error. The document is valid exactly when the
/// configuration would be: both are checked by <see cref="ScoringPolicy.Validate"/>.
/// </summary>
public static class PolicyDocument
{
    /// <summary>The policy as a document; <see cref="Read"/> gives the same policy back.</summary>
    public static string Write(ScoringPolicy policy) => JsonSerializer.Serialize(policy, PolicyDocumentJsonContext.Default.ScoringPolicy);

    /// <summary>The policy a document describes, or every error in it (each message begins with the key it is about).</summary>
    public static ScoringPolicy? Read(string document, out IReadOnlyList<string> errors)
    {
        ScoringPolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize(document, PolicyDocumentJsonContext.Default.ScoringPolicy);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // A JSON path ($.thresholds.throttle) as a configuration key (Policy:thresholds:throttle).
            var path = e is JsonException { Path: { } jsonPath } ? jsonPath.TrimStart('$').Replace('.', ':') : "";
            errors = [$"Policy{path}: {e.Message}"];
            return null;
        }

        if (policy is null)
        {
            errors = [$"Policy: the document must be a JSON object."];
            return null;
        }

        errors = policy.Validate();
        return errors.Count == 0 ? policy : null;
    }

    /// <summary>The key an error of <see cref="Read"/> or <see cref="ScoringPolicy.Validate"/> is about, such as <c>Policy:Thresholds:Throttle</c>.</summary>
    public static string KeyOf(string error)
    {
        var end = error.IndexOf(' ', StringComparison.Ordinal);
        return (end < 0 ? error : error[..end]).TrimEnd(':', '.');
    }
}

// Populate: a nested object in the document overlays the defaults, as configuration binds into them, instead of
// replacing a whole signal curve with zeros for the values it leaves out.
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(ScoringPolicy))]
internal sealed partial class PolicyDocumentJsonContext : JsonSerializerContext;
