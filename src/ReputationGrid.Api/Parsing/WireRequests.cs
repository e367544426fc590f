using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReputationGrid.Api.Parsing;

// The request bodies as System.Text.Json's generated contracts see them: each property is one field of the API, named
// and typed as the field definitions in ReputationGrid.Contracts say (WireContract checks that at start-up), and read
// strictly: an unknown or repeated field, a value of the wrong JSON type or text that is not valid Unicode fails the
// read with the field's path and position.

/// <summary>The body of <c>POST /v1/events</c>; each event stays raw JSON here, so that a bad one rejects only itself.</summary>
internal sealed class EventBatchWire
{
    [JsonConverter(typeof(EventListConverter))]
    public List<JsonElement>? Events { get; set; }
}

/// <summary>One event of any type: the envelope and every field of every event type, each optional here.</summary>
internal sealed class EventWire
{
    public string? Type { get; set; }
    public string? Account { get; set; }
    public DateTimeOffset? At { get; set; }
    public string? Network { get; set; }
    public string? CountryCode { get; set; }
    public string? IpPrefix { get; set; }
    public string? DeviceId { get; set; }
    public bool? Business { get; set; }
    public string? Recipient { get; set; }
    public bool? RecipientIsContact { get; set; }
    public string? GroupId { get; set; }
    public bool? IsForward { get; set; }
    public string? Fingerprint { get; set; }
    public bool? Typed { get; set; }
    public string? Conversation { get; set; }
    public int? Count { get; set; }
    public int? NonContacts { get; set; }
    public string? Reporter { get; set; }
    public string? Reason { get; set; }
    public string? Blocker { get; set; }
    public string? From { get; set; }
    public string? Contact { get; set; }
    public string? Verification { get; set; }
    public string? Person { get; set; }
}

/// <summary>The body of <c>POST /v1/decisions/send</c>.</summary>
internal sealed class SendCheckWire
{
    public string? Account { get; set; }
    public DateTimeOffset? At { get; set; }
    public string? Recipient { get; set; }
    public bool? RecipientIsContact { get; set; }
    public string? GroupId { get; set; }
    public bool? IsForward { get; set; }
    public string? Fingerprint { get; set; }
    public bool? Typed { get; set; }
    public string? Conversation { get; set; }
}

/// <summary>The body of an operator action on an account or an entity.</summary>
internal sealed class OperatorActionWire
{
    public string? Action { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset? Until { get; set; }
    public int? Tier { get; set; }
}

/// <summary>The body of <c>POST /v1/cases</c>.</summary>
internal sealed class CaseOpenWire
{
    public string? Name { get; set; }
    public string? Description { get; set; }
}

/// <summary>The body of <c>POST /v1/cases/{id}/accounts</c>.</summary>
internal sealed class CaseAccountWire
{
    public string? Account { get; set; }
}

/// <summary>The body of <c>POST /v1/cases/{id}/entities</c>.</summary>
internal sealed class CaseEntityWire
{
    public string? Entity { get; set; }
}

/// <summary>The body of <c>POST /v1/cases/{id}/notes</c>.</summary>
internal sealed class CaseNoteWire
{
    public string? Text { get; set; }
}

/// <summary>The body of <c>POST /v1/cases/{id}/evidence</c>: a link, or a file as base64 <c>content</c>.</summary>
internal sealed class EvidenceItemWire
{
    public string? Source { get; set; }
    public DateTimeOffset? SeenAt { get; set; }
    public string? Description { get; set; }
    public string? Link { get; set; }
    public string? FileName { get; set; }
    public string? ContentType { get; set; }
    public string? Content { get; set; }
}

/// <summary>The body of <c>POST /v1/labels</c>.</summary>
internal sealed class LabelWire
{
    public string? Account { get; set; }
    public string? Label { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? At { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 16,
    Converters = [typeof(WireTextConverter), typeof(WireBoolConverter), typeof(WireIntConverter), typeof(WireTimestampConverter)])]
[JsonSerializable(typeof(EventBatchWire))]
[JsonSerializable(typeof(EventWire))]
[JsonSerializable(typeof(SendCheckWire))]
[JsonSerializable(typeof(OperatorActionWire))]
[JsonSerializable(typeof(CaseOpenWire))]
[JsonSerializable(typeof(CaseAccountWire))]
[JsonSerializable(typeof(CaseEntityWire))]
[JsonSerializable(typeof(CaseNoteWire))]
[JsonSerializable(typeof(EvidenceItemWire))]
[JsonSerializable(typeof(LabelWire))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
