using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReputationGrid.Api.Ids;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Parsing;

/// <summary>
/// One request shape: System.Text.Json's generated contract reads the body strictly, and the field definitions check
/// the values through <see cref="WireFields"/>. Made once per shape; it fails at start-up unless the contract's
/// properties are exactly the fields, with matching types, so the registry stays the one definition of them.
/// </summary>
internal sealed class WireContract
{
    private readonly JsonTypeInfo _type;
    private readonly FrozenDictionary<string, int> _indexes;
    private readonly FrozenDictionary<string, Field> _fields;

    public WireContract(JsonTypeInfo type, IEnumerable<Field> fields)
    {
        _type = type;
        var byName = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            byName.TryAdd(field.Name, field);
        }

        var properties = type.Properties;
        Names = [.. properties.Select(property => property.Name)];
        Getters = [.. properties.Select(property => property.Get!)];
        var missing = byName.Keys.Except(Names).Concat(Names.Except(byName.Keys)).ToList();
        var mistyped = properties.Where(property => byName.TryGetValue(property.Name, out var field) && property.PropertyType != ValueType(field)).ToList();
        if (missing.Count > 0 || mistyped.Count > 0 || Names.Length > 64)
        {
            throw new InvalidOperationException(
                $"{type.Type.Name} does not match its field definitions: {string.Join(", ", missing.Concat(mistyped.Select(p => p.Name)))}.");
        }

        _indexes = Names.Select((name, index) => (name, index)).ToFrozenDictionary(pair => pair.name, pair => pair.index, StringComparer.Ordinal);
        _fields = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every event of <c>POST /v1/events</c> and of gRPC <c>RecordEvents</c>.</summary>
    public static WireContract Event { get; } = new(
        WireJsonContext.Default.EventWire,
        [EnvelopeFields.Type, EnvelopeFields.Account, EnvelopeFields.At, .. AccountEventTypes.All.SelectMany(type => type.Fields)]);

    /// <summary>The send check, over HTTP and gRPC.</summary>
    public static WireContract SendCheck { get; } = new(
        WireJsonContext.Default.SendCheckWire,
        [EnvelopeFields.Account, EnvelopeFields.At, .. MessageFields.List.Fields]);

    /// <summary>An operator action on an account or an entity.</summary>
    public static WireContract OperatorAction { get; } = new(WireJsonContext.Default.OperatorActionWire, RequestParsers.OperatorActionFields);

    public static WireContract CaseOpen { get; } = new(WireJsonContext.Default.CaseOpenWire, CaseRequests.OpenFields);

    public static WireContract CaseAccount { get; } = new(WireJsonContext.Default.CaseAccountWire, [CaseRequests.Account]);

    public static WireContract CaseEntity { get; } = new(WireJsonContext.Default.CaseEntityWire, [CaseRequests.Entity]);

    public static WireContract CaseNote { get; } = new(WireJsonContext.Default.CaseNoteWire, [CaseRequests.Text]);

    public static WireContract EvidenceItem { get; } = new(WireJsonContext.Default.EvidenceItemWire, CaseRequests.EvidenceFields);

    public static WireContract Label { get; } = new(WireJsonContext.Default.LabelWire, RequestParsers.LabelFields);

    /// <summary>The contract's property names, in declaration order.</summary>
    internal string[] Names { get; }

    internal Func<object, object?>[] Getters { get; }

    internal int IndexOf(string name) =>
        _indexes.TryGetValue(name, out var index) ? index : throw new ArgumentException($"{name} is not a field of {_type.Type.Name}.", nameof(name));

    /// <summary>The request's fields; <paramref name="ids"/> names the accounts they hold as they are stored.</summary>
    public WireFields Read(AccountIds ids, ReadOnlySpan<byte> utf8)
    {
        try
        {
            return new WireFields(this, JsonSerializer.Deserialize(utf8, _type), ids);
        }
        catch (JsonException e)
        {
            return WireFields.Failed(Describe(e, Expected));
        }
    }

    public WireFields Read(AccountIds ids, JsonElement element)
    {
        try
        {
            return new WireFields(this, element.Deserialize(_type), ids);
        }
        catch (JsonException e)
        {
            return WireFields.Failed(Describe(e, Expected));
        }
    }

    public WireFields Read(AccountIds ids, string json)
    {
        try
        {
            return new WireFields(this, JsonSerializer.Deserialize(json, _type), ids);
        }
        catch (JsonException e)
        {
            return WireFields.Failed(Describe(e, Expected));
        }
    }

    private string? Expected(string name) => _fields.TryGetValue(name, out var field) ? field.Expected : null;

    /// <summary>
    /// What a failed read says: the field and the problem, and whether the body was not valid text (which the APIs answer
    /// with a 400 for the whole request). <paramref name="expected"/> gives the rule of a field of the shape, null for others.
    /// </summary>
    public static WireProblem Describe(JsonException e, Func<string, string?> expected)
    {
        var name = FieldIn(e.Path);
        var position = $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";
        return e switch
        {
            WireValueException { InvalidText: true } => new(name, $"is not valid text (invalid UTF-8 or a lone surrogate escape) at {position}", InvalidText: true),
            WireValueException { RepeatedFieldInItem: { } item } => new($"{name}[{item}]", "has a field more than once"),
            WireValueException => new(name, expected(name) ?? "has the wrong type"),
            { InnerException: not null } => new("body", $"is not valid JSON at {position}"),
            _ when name.Length == 0 => new("body", "must be a JSON object"),
            _ when expected(name) is not null => new(name, "appears more than once"),
            _ => new(name, "is not a known field"),
        };
    }

    /// <summary>The field a JSON path ends at: <c>$.count</c> and <c>$['count']</c> are <c>count</c>, <c>$</c> is empty.</summary>
    private static string FieldIn(string? path) => path switch
    {
        null or "$" => "",
        ['$', '[', '\'', .. var quoted, '\'', ']'] => quoted,
        ['$', '.', .. var name] => name,
        _ => path,
    };

    private static Type ValueType(Field field) => field switch
    {
        BoolField => typeof(bool?),
        IntField => typeof(int?),
        TimestampField => typeof(DateTimeOffset?),
        _ => typeof(string),
    };
}

/// <summary>A problem with a request's JSON: the field it is about and what is wrong, as "field: problem".</summary>
internal readonly record struct WireProblem(string Field, string Problem, bool InvalidText = false)
{
    public string Error => $"{Field}: {Problem}";
}
