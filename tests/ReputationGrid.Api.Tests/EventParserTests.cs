using System.Text;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;
using ReputationGrid.Scoring;

namespace ReputationGrid.Api.Tests;

/// <summary>What the event and send-check parsers accept, and the exact error texts they answer with (both APIs show them).</summary>
public sealed class EventParserTests
{
    /// <summary>Account ids stored as sent: no pseudonym key.</summary>
    private static readonly AccountIds AsSent = new(Options.Create(new IdsOptions()));

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 15, 0, TimeSpan.Zero);
    private static readonly EventClock Clock = new(Now, new GatewayOptions());

    private static string? ErrorOf(string json)
    {
        var parsed = EventParser.Parse(WireContract.Event.Read(AsSent, json), Clock, out var error);
        Assert.Equal(error is null, parsed is not null);
        return error;
    }

    [Theory]
    [InlineData("""{"type": "group_members_added", "account": "a", "groupId": "g", "count": 3, "nonContacts": 9}""", "nonContacts: must not exceed count")]
    [InlineData("""{"type": "group_members_added", "account": "a", "groupId": "g", "nonContacts": 3}""", "count: is required")]
    [InlineData("""{"type": "group_members_added", "account": "a", "groupId": "g", "count": 0, "nonContacts": 0}""", "count: must be a whole number from 1 to 100000")]
    [InlineData("""{"type": "group_members_added", "account": "a", "groupId": "g", "count": 1.5, "nonContacts": 0}""", "count: must be a whole number from 1 to 100000")]
    [InlineData("""{"type": "group_members_added", "account": "a", "groupId": "g", "count": 2, "nonContacts": "1"}""", "nonContacts: must be a whole number from 0 to 100000")]
    [InlineData("""{"type": "message_sent", "account": "a", "recipient": "b", "recipientIsContact": "yes"}""", "recipientIsContact: must be true or false")]
    [InlineData("""{"type": "message_sent", "account": "a", "recipient": "b"}""", "recipientIsContact: is required")]
    [InlineData("""{"type": "message_sent", "account": "a", "recipient": "b", "recipientIsContact": true, "fingerprint": 12}""", "fingerprint: must be a string")]
    [InlineData("""{"type": "message_sent", "account": "a", "recipient": "b", "recipientIsContact": true, "groupId": "g 1"}""", "groupId: must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ + -")]
    [InlineData("""{"type": "teleported", "account": "a"}""", "type: must be one of: account_registered, message_sent, group_created, group_members_added, reported, blocked, reply_received, contact_added, session_started, challenge_passed, challenge_failed, business_verified, opted_in, opted_out")]
    [InlineData("""{"account": "a"}""", "type: is required")]
    [InlineData("""{"type": "blocked", "account": "a b", "blocker": ""}""", "account: must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ + -")]
    [InlineData("""{"type": "blocked", "account": "a", "blocker": ""}""", "blocker: must not be empty")]
    [InlineData("""{"type": "blocked", "account": "a", "blocker": "x", "at": "2026-11-23T10:25:00Z"}""", "at: lies more than 300 seconds in the future")]
    [InlineData("""{"type": "blocked", "account": "a", "blocker": "x", "at": "yesterday"}""", "at: must be an RFC 3339 timestamp with an offset, e.g. 2026-11-23T10:15:00Z")]
    [InlineData("""{"type": "contact_added", "account": "a", "contact": "d", "colour": "blue"}""", "colour: is not a known field")]
    [InlineData("""{"type": "contact_added", "account": "a", "contact": "d", "recipient": "b"}""", "recipient: is not a known field")]
    [InlineData("\"not an object\"", "body: must be a JSON object")]
    [InlineData("""{"type": "account_registered", "account": "a", "network": "satellite"}""", "network: must be one of: mobile, landline, voip, unknown")]
    [InlineData("""{"type": "account_registered", "account": "a", "countryCode": "NLNLNLNLN"}""", "countryCode: must be at most 8 characters")]
    [InlineData("""{"type": "account_registered", "account": "a", "business": 1}""", "business: must be true or false")]
    [InlineData("""{"type": "reported", "account": "a", "reason": "spam"}""", "reporter: is required")]
    [InlineData("""{"type": "reply_received", "account": "a"}""", "from: is required")]
    [InlineData("""{"type": "group_created", "account": "a", "groupId": null}""", "groupId: is required")]
    [InlineData("""{"type": "contact_added", "account": "a", "contact": "d", "contact": "e"}""", "contact: appears more than once")]
    [InlineData("""{"type": "contact_added", "account": "a", "Contact": "d"}""", "Contact: is not a known field")]
    [InlineData("""{"type": "group_created", "account": "a", "groupId": {"id": "g"}}""", "groupId: must be a string")]
    [InlineData("""{"type": "group_members_added", "account": "a", "groupId": "g", "count": 1e1, "nonContacts": 0}""", "count: must be a whole number from 1 to 100000")]
    [InlineData("""{"type": "group_members_added", "account": "a", "groupId": "g", "count": 3000000000, "nonContacts": 0}""", "count: must be a whole number from 1 to 100000")]
    [InlineData("""{"type": "blocked", "account": "a", "blocker": "x", "at": "2026-11-20T10:14:59Z"}""", "at: lies more than 2 days in the past (only account_registered and contact_added may be older)")]
    [InlineData("""{"type": "account_registered", "account": "a", "at": "0001-01-01T00:00:00Z"}""", "at: must not lie before 2009-01-01")]
    [InlineData("""{"type": "contact_added", "account": "a", "contact": "d", "at": "2008-12-31T23:59:59Z"}""", "at: must not lie before 2009-01-01")]
    [InlineData("""{"type": "account_registered", "account": "a", "at": "2026-11-23T10:21:00Z"}""", "at: lies more than 300 seconds in the future")]
    [InlineData("""[{"type": "contact_added"}]""", "body: must be a JSON object")]
    [InlineData("""{"type": "contact_added",}""", "body: is not valid JSON at line 1, byte 26")]
    [InlineData("""{"type": "contact_added", "account": "\ud800", "contact": "d"}""", "account: is not valid text (invalid UTF-8 or a lone surrogate escape) at line 1, byte 46")]
    public void A_bad_event_is_rejected_with_the_first_problem_named(string json, string error) =>
        Assert.Equal(error, ErrorOf(json));

    [Fact]
    public void Invalid_utf8_in_a_value_is_refused_as_invalid_text_naming_its_position()
    {
        var json = Encoding.UTF8.GetBytes("""{"type": "contact_added", "account": "a", "contact": "d?"}""");
        json[Array.LastIndexOf(json, (byte)'?')] = 0xFF;

        var fields = WireContract.Event.Read(AsSent, json);

        Assert.True(fields.InvalidText);
        Assert.Equal("contact", fields.ErrorField);
        Assert.StartsWith("contact: is not valid text (invalid UTF-8 or a lone surrogate escape) at line 1, byte ", fields.Error);
    }

    [Theory]
    [InlineData("""{"type": "account_registered", "account": "a", "at": "2009-01-01T00:00:00Z"}""")]
    [InlineData("""{"type": "contact_added", "account": "a", "contact": "d", "at": "2012-06-01T00:00:00+02:00"}""")]
    [InlineData("""{"type": "blocked", "account": "a", "blocker": "x", "at": "2026-11-21T10:15:00Z"}""")]
    [InlineData("""{"type": "blocked", "account": "a", "blocker": "x", "at": "2026-11-23T10:20:00Z"}""")]
    public void Events_within_their_time_bounds_are_accepted(string json) =>
        Assert.Null(ErrorOf(json));

    [Fact]
    public void A_raised_past_skew_admits_a_back_fill()
    {
        var backFill = new EventClock(Now, new GatewayOptions { MaxPastSkew = TimeSpan.FromDays(400) });

        var parsed = EventParser.Parse(
            WireContract.Event.Read(AsSent, """{"type": "blocked", "account": "a", "blocker": "x", "at": "2026-01-01T00:00:00Z"}"""), backFill, out var error);

        Assert.Null(error);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), parsed!.Event.At);
    }

    [Fact]
    public void The_event_contract_has_exactly_the_fields_of_the_registry()
    {
        string[] registry =
        [
            EnvelopeFields.Type.Name, EnvelopeFields.Account.Name, EnvelopeFields.At.Name,
            .. AccountEventTypes.All.SelectMany(type => type.Fields).Select(field => field.Name),
        ];

        Assert.Equal(registry.Distinct().Order(), WireContract.Event.Names.Order());
    }

    [Fact]
    public void A_full_event_parses_into_its_contract_event()
    {
        var parsed = EventParser.Parse(WireContract.Event.Read(AsSent, """
            {"type": "account_registered", "account": "alice", "network": "voip", "countryCode": "NL",
             "ipPrefix": "10.1.2", "deviceId": "d-1", "business": true, "at": "2026-11-23T11:15:00+01:00"}
            """), Clock, out var error);

        Assert.Null(error);
        Assert.Equal(new ParsedEvent("alice", new AccountRegistered(Now, NetworkKind.Voip, "NL", "10.1.2", "d-1", Business: true)), parsed);
    }

    [Fact]
    public void Optional_fields_take_their_defaults_and_a_missing_at_is_now()
    {
        var parsed = EventParser.Parse(WireContract.Event.Read(AsSent, """{"type": "account_registered", "account": "alice"}"""), Clock, out _);

        Assert.Equal(new AccountRegistered(Now, NetworkKind.Unknown), parsed!.Event);
    }

    [Theory]
    [InlineData("""{"account": "a", "recipient": "b"}""", "recipientIsContact: is required")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "at": "2026-01-01T00:00:00"}""", "at: must be an RFC 3339 timestamp with an offset, e.g. 2026-11-23T10:15:00Z")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "typed": "no"}""", "typed: must be true or false")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "type": "message_sent"}""", "type: is not a known field")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "account": "c"}""", "account: appears more than once")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "at": "2026-11-01T00:00:00Z"}""", "at: lies more than 2 days in the past (only account_registered and contact_added may be older)")]
    public void A_bad_send_check_is_rejected_with_the_first_problem_named(string json, string error)
    {
        var fields = WireContract.SendCheck.Read(AsSent, json);

        Assert.Null(RequestParsers.SendCheck(fields, Clock));
        Assert.Equal(error, fields.Error);
    }

    [Theory]
    [InlineData("""{"action": "suspend", "until": "2027-11-23T10:15:01Z"}""", "until: must lie at most 365 days ahead")]
    [InlineData("""{"action": "suspend", "until": "9999-12-31T00:00:00Z"}""", "until: must lie at most 365 days ahead")]
    [InlineData("""{"action": "suspend", "until": "2026-11-23T10:15:00Z"}""", "until: must lie in the future")]
    [InlineData("""{"action": "suspend", "until": "2027-11-23T10:15:00Z"}""", null)]
    [InlineData("""{"action": "ban", "by": "ops:x"}""", "by: is not a known field")]
    public void A_suspension_ends_within_the_configured_bound(string json, string? error)
    {
        var fields = WireContract.OperatorAction.Read(AsSent, json);

        var action = RequestParsers.OperatorAction(fields, Now, new GatewayOptions().MaxSuspension, "ops");

        Assert.Equal(error, fields.Error);
        Assert.Equal(error is null, action is not null);
    }

    [Fact]
    public void A_send_check_reads_the_same_message_fields_as_message_sent()
    {
        var check = WireContract.SendCheck.Read(AsSent, """{"account": "a", "recipient": "b", "recipientIsContact": false, "groupId": "g", "isForward": true, "fingerprint": "f", "typed": false}""");
        var sent = WireContract.Event.Read(AsSent, """{"type": "message_sent", "account": "a", "recipient": "b", "recipientIsContact": false, "groupId": "g", "isForward": true, "fingerprint": "f", "typed": false}""");

        var parsedCheck = RequestParsers.SendCheck(check, Clock);
        var parsedSent = EventParser.Parse(sent, Clock, out _);

        var message = new MessageDetails("b", RecipientIsContact: false, GroupId: "g", IsForward: true, Fingerprint: "f", Typed: false);
        Assert.Equal(new ParsedSendCheck("a", Now, message), parsedCheck);
        Assert.Equal(new ParsedEvent("a", new MessageSent(Now, message)), parsedSent);
    }
}
