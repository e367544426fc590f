using System.Text.Json;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;

namespace ReputationGrid.Api.Tests;

/// <summary>What the event and send-check parsers accept, and the exact error texts they answer with (both APIs show them).</summary>
public sealed class EventParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 15, 0, TimeSpan.Zero);
    private static readonly EventClock Clock = new(Now, TimeSpan.FromMinutes(5));

    private static string? ErrorOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        var parsed = EventParser.Parse(document.RootElement, Clock, out var error);
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
    public void A_bad_event_is_rejected_with_the_first_problem_named(string json, string error) =>
        Assert.Equal(error, ErrorOf(json));

    [Fact]
    public void A_full_event_parses_into_its_contract_event()
    {
        using var document = JsonDocument.Parse("""
            {"type": "account_registered", "account": "alice", "network": "voip", "countryCode": "NL",
             "ipPrefix": "10.1.2", "deviceId": "d-1", "business": true, "at": "2026-11-23T11:15:00+01:00"}
            """);

        var parsed = EventParser.Parse(document.RootElement, Clock, out var error);

        Assert.Null(error);
        Assert.Equal(new ParsedEvent("alice", new AccountRegistered(Now, NetworkKind.Voip, "NL", "10.1.2", "d-1", Business: true)), parsed);
    }

    [Fact]
    public void Optional_fields_take_their_defaults_and_a_missing_at_is_now()
    {
        using var document = JsonDocument.Parse("""{"type": "account_registered", "account": "alice"}""");

        var parsed = EventParser.Parse(document.RootElement, Clock, out _);

        Assert.Equal(new AccountRegistered(Now, NetworkKind.Unknown), parsed!.Event);
    }

    [Theory]
    [InlineData("""{"account": "a", "recipient": "b"}""", "recipientIsContact: is required")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "at": "2026-01-01T00:00:00"}""", "at: must be an RFC 3339 timestamp with an offset, e.g. 2026-11-23T10:15:00Z")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "typed": "no"}""", "typed: must be true or false")]
    [InlineData("""{"account": "a", "recipient": "b", "recipientIsContact": true, "type": "message_sent"}""", "type: is not a known field")]
    public void A_bad_send_check_is_rejected_with_the_first_problem_named(string json, string error)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Null(RequestParsers.SendCheck(document.RootElement, Clock, out var fields));
        Assert.Equal(error, fields.Error);
    }

    [Fact]
    public void A_send_check_reads_the_same_message_fields_as_message_sent()
    {
        using var check = JsonDocument.Parse("""{"account": "a", "recipient": "b", "recipientIsContact": false, "groupId": "g", "isForward": true, "fingerprint": "f", "typed": false}""");
        using var sent = JsonDocument.Parse("""{"type": "message_sent", "account": "a", "recipient": "b", "recipientIsContact": false, "groupId": "g", "isForward": true, "fingerprint": "f", "typed": false}""");

        var parsedCheck = RequestParsers.SendCheck(check.RootElement, Clock, out _);
        var parsedSent = EventParser.Parse(sent.RootElement, Clock, out _);

        var message = new MessageDetails("b", RecipientIsContact: false, GroupId: "g", IsForward: true, Fingerprint: "f", Typed: false);
        Assert.Equal(new ParsedSendCheck("a", Now, message), parsedCheck);
        Assert.Equal(new ParsedEvent("a", new MessageSent(Now, message)), parsedSent);
    }
}
