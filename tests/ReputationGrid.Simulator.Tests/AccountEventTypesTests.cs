using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ReputationGrid.Api;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.BusinessAccounts;
using ReputationGrid.Simulator.Traffic;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Simulator.Tests;

/// <summary>
/// The event-type registry: one descriptor per contract event, and every consumer of it agreeing: the simulator's
/// writer and the gateway's parser, the gRPC messages, and the README's event table.
/// </summary>
public sealed class AccountEventTypesTests
{
    /// <summary>Account ids stored as sent: no pseudonym key.</summary>
    private static readonly AccountIds AsSent = new(Options.Create(new IdsOptions()));

    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 15, 0, 123, TimeSpan.Zero);
    private static readonly EventClock Clock = new(At, new GatewayOptions());

    /// <summary>One event of each type with every optional field set.</summary>
    private static readonly AccountEvent[] Full =
    [
        new AccountRegistered(At, NetworkKind.Voip, "NL", "10.1.2", "device-1", Business: true),
        new MessageSent(At, new MessageDetails("bob", RecipientIsContact: true, GroupId: "g1", IsForward: true, Fingerprint: "fp-1", Typed: false, Conversation: ConversationKind.Service)),
        new GroupCreated(At, "g1"),
        new GroupMembersAdded(At, "g1", Count: 5, NonContacts: 2),
        new Reported(At, "carol", "spam"),
        new Blocked(At, "dave"),
        new ReplyReceived(At, "erin"),
        new ContactAdded(At, "frank"),
        new SessionStarted(At, "device-2", "10.1.3"),
        new ChallengePassed(At),
        new ChallengeFailed(At),
        new BusinessVerified(At, VerificationLevel.Full),
        new OptedIn(At, "grace"),
        new OptedOut(At, "heidi"),
    ];

    /// <summary>Events with every optional field left out (or at its default).</summary>
    private static readonly AccountEvent[] Minimal =
    [
        new AccountRegistered(At, NetworkKind.Unknown),
        new MessageSent(At, new MessageDetails("bob", RecipientIsContact: false)),
        new Reported(At, "carol"),
    ];

    public static TheoryData<int> FullIndexes => [.. Enumerable.Range(0, Full.Length)];

    public static TheoryData<int> MinimalIndexes => [.. Enumerable.Range(0, Minimal.Length)];

    private static byte[] Written(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static ParsedEvent? RoundTrip(AccountEvent accountEvent, out string? error)
    {
        return EventParser.Parse(WireContract.Event.Read(AsSent, Written(writer => ApiJson.WriteEvent(writer, "alice", accountEvent))), Clock, out error);
    }

    [Fact]
    public void Every_contract_event_has_exactly_one_descriptor()
    {
        var contractEvents = typeof(AccountEvent).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(AccountEvent)) && !type.IsAbstract)
            .OrderBy(type => type.Name);

        Assert.Equal(contractEvents, AccountEventTypes.All.Select(type => type.EventType).OrderBy(type => type.Name));
        Assert.All(Full, accountEvent => Assert.Equal(accountEvent.GetType(), AccountEventTypes.Of(accountEvent).EventType));
    }

    [Fact]
    public void Names_are_unique_snake_case_and_found_by_name()
    {
        var names = AccountEventTypes.All.Select(type => type.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Matches("^[a-z]+(_[a-z]+)*$", name));
        Assert.All(AccountEventTypes.All, type => Assert.Same(type, AccountEventTypes.Named(type.Name)));
        Assert.Null(AccountEventTypes.Named("Message_Sent"));
    }

    [Fact]
    public void Every_type_has_a_full_example_here()
    {
        Assert.Equal(AccountEventTypes.All.Select(type => type.EventType), Full.Select(accountEvent => accountEvent.GetType()));
    }

    [Theory]
    [MemberData(nameof(FullIndexes))]
    public void An_event_written_by_the_simulator_parses_back_to_the_same_event(int index)
    {
        var accountEvent = Full[index];

        var parsed = RoundTrip(accountEvent, out var error);

        Assert.Null(error);
        Assert.Equal(new ParsedEvent("alice", accountEvent), parsed);
    }

    [Theory]
    [MemberData(nameof(MinimalIndexes))]
    public void An_event_without_its_optional_fields_parses_back_to_the_same_event(int index)
    {
        var accountEvent = Minimal[index];

        var parsed = RoundTrip(accountEvent, out var error);

        Assert.Null(error);
        Assert.Equal(new ParsedEvent("alice", accountEvent), parsed);
    }

    [Theory]
    [MemberData(nameof(FullIndexes))]
    public void A_full_event_is_written_with_exactly_the_envelope_and_its_listed_fields(int index)
    {
        var accountEvent = Full[index];
        using var document = JsonDocument.Parse(Written(writer => ApiJson.WriteEvent(writer, "alice", accountEvent)));

        Assert.Equal(
            [EnvelopeFields.Type.Name, EnvelopeFields.Account.Name, EnvelopeFields.At.Name, .. AccountEventTypes.Of(accountEvent).Fields.Select(field => field.Name)],
            document.RootElement.EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public void A_send_check_written_by_the_simulator_parses_back_to_the_same_check()
    {
        var message = new MessageDetails("bob", RecipientIsContact: true, GroupId: "g1", IsForward: true, Fingerprint: "fp-1", Typed: true, Conversation: ConversationKind.BusinessInitiated);
        var fields = WireContract.SendCheck.Read(AsSent, Written(writer =>
        {
            writer.WriteStartObject();
            ApiJson.WriteSendCheck(writer, "alice", At, message);
            writer.WriteEndObject();
        }));

        var parsed = RequestParsers.SendCheck(fields, Clock);

        Assert.Null(fields.Error);
        Assert.Equal(new ParsedSendCheck("alice", At, message), parsed);
    }

    [Fact]
    public void The_grpc_messages_carry_every_field_of_every_event_type_and_of_the_send_check()
    {
        // The gRPC API hands its messages to the HTTP parser in proto3's JSON mapping, so proto JSON names must be the field names.
        var eventFields = Event.Descriptor.Fields.InDeclarationOrder().Select(field => field.JsonName).ToHashSet();
        var checkFields = CheckSendRequest.Descriptor.Fields.InDeclarationOrder().Select(field => field.JsonName).ToHashSet();

        string[] envelope = [EnvelopeFields.Type.Name, EnvelopeFields.Account.Name, EnvelopeFields.At.Name];
        string[] check = [EnvelopeFields.Account.Name, EnvelopeFields.At.Name, .. MessageFields.List.Fields.Select(field => field.Name)];

        Assert.All([.. envelope, .. AccountEventTypes.All.SelectMany(type => type.Fields).Select(field => field.Name)], name => Assert.Contains(name, eventFields));
        Assert.All(check, name => Assert.Contains(name, checkFields));
    }

    [Fact]
    public void The_readmes_event_table_is_the_one_the_descriptors_describe()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        var section = Array.FindIndex(readme, line => line == "### `POST /v1/events`");
        var documented = readme.Skip(section + 1)
            .SkipWhile(line => !line.StartsWith("| type |", StringComparison.Ordinal))
            .Skip(2)
            .TakeWhile(line => line.StartsWith('|'));

        Assert.True(section >= 0, "README.md has no POST /v1/events section");
        Assert.Equal(AccountEventTypes.All.Select(Row), documented);
    }

    private static string Row(AccountEventType type)
    {
        var fields = string.Join(", ", type.Fields.Select(Describe));
        return $"| `{type.Name}` | {string.Join("; ", new[] { fields, type.Note }.Where(part => !string.IsNullOrEmpty(part)))} |";
    }

    private static string Describe(Field field)
    {
        var name = field.Required ? $"`{field.Name}`" : $"`{field.Name}`?";
        string[] details = [.. new[] { field.Note, field.Rule }.OfType<string>()];
        return details.Length == 0 ? name : $"{name} ({string.Join(", ", details)})";
    }
}
