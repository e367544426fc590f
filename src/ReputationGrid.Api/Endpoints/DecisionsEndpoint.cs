using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>
/// <c>POST /v1/decisions/send</c>: the send-time check, one call per message. Made once, when mapped, with the
/// singletons it needs, and it writes its answer itself: a handler that takes services as parameters, or returns
/// an <see cref="IResult"/> (whose execution resolves a logger), opens a dependency-injection scope per request,
/// which costs the hottest endpoint measurably. Errors are rare and still answered through <see cref="IResult"/>s.
/// </summary>
internal sealed class DecisionsEndpoint(AccountGrains accounts, AccountIds ids, IOptions<GatewayOptions> options, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var fields = RequestBody.Read(context.Request, WireContract.SendCheck, ids, out var problem);
        var check = problem is null ? RequestParsers.SendCheck(fields!, new EventClock(time.GetUtcNow(), options.Value)) : null;
        if (check is null)
        {
            await (problem ?? Problems.Field(fields!.ErrorField!, fields.Error!)).ExecuteAsync(context);
            return;
        }

        SendDecision decision;
        try
        {
            decision = await accounts.Get(check.Account).CheckSendAsync(check.At, check.Message);
        }
        catch (ArgumentException refused)
        {
            await Problems.Field("at", RequestParsers.RefusedSendCheck(refused)).ExecuteAsync(context);
            return;
        }

        await context.Response.WriteAsJsonAsync(DecisionResponse.From(check.Account, decision), GatewayJsonContext.Default.DecisionResponse);
    }
}
