using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;
using GrpcDecision = ReputationGrid.Api.Grpc.V1.SendDecision;

namespace ReputationGrid.Api.Grpc;

/// <summary>
/// The gRPC API. Each request is turned into the JSON the HTTP API takes (proto3's JSON mapping gives
/// the same field names) and goes through the same parsers, so both APIs accept, reject and explain
/// exactly alike.
/// </summary>
internal sealed class ReputationService(AccountGrains accounts, AccountIds ids, IOptions<GatewayOptions> options, TimeProvider time) : Reputation.ReputationBase
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    private EventClock Clock => new(time.GetUtcNow(), options.Value);

    public override async Task<GrpcDecision> CheckSend(CheckSendRequest request, ServerCallContext context)
    {
        var fields = WireContract.SendCheck.Read(ids, Formatter.Format(request));
        var check = RequestParsers.SendCheck(fields, Clock) ?? throw Invalid(fields.Error!);
        Contracts.SendDecision decision;
        try
        {
            decision = await accounts.Get(check.Account).CheckSendAsync(check.At, check.Message);
        }
        catch (ArgumentException refused)
        {
            throw Invalid(RequestParsers.RefusedSendCheck(refused));
        }

        var response = DecisionResponse.From(check.Account, decision);
        var reply = new GrpcDecision
        {
            Account = response.Account,
            Action = response.Action,
            Score = response.Score,
            Reasons = { response.Reasons },
            PolicyVersion = response.PolicyVersion,
        };
        if (response.RetryAfterSeconds is { } retryAfter)
        {
            reply.RetryAfterSeconds = retryAfter;
        }

        if (response.Until is { } until)
        {
            reply.Until = JsonSerializer.Serialize(until).Trim('"'); // as the HTTP API writes it
        }

        return reply;
    }

    public override async Task<RecordEventsReply> RecordEvents(RecordEventsRequest request, ServerCallContext context)
    {
        var limit = options.Value.MaxEventsPerRequest;
        if (request.Events.Count > limit)
        {
            throw Invalid(EventIngestion.TooMany(limit, request.Events.Count));
        }

        var events = request.Events.Select(e => WireContract.Event.Read(ids, Formatter.Format(e))).ToList();
        var ingested = await EventIngestion.IngestAsync(accounts, events, Clock)
            ?? throw GrpcFailures.Unavailable(EventIngestion.NothingRecorded);
        return new RecordEventsReply
        {
            Accepted = ingested.Accepted,
            Rejected = { ingested.Rejected.Select(r => new V1.RejectedEvent { Index = r.Index, Error = r.Error, Retryable = r.Retryable }) },
        };
    }

    private static RpcException Invalid(string error) => new(new Status(StatusCode.InvalidArgument, error));
}
