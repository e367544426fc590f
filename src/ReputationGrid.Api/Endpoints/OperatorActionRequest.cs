using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Ids;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>The body of an operator action on an account or an entity, taken by the calling operator.</summary>
internal static class OperatorActionRequest
{
    /// <summary>The action, or the problem to answer with when the body is not a valid one.</summary>
    public static (OperatorAction? Action, IResult? Problem) Read(HttpRequest request, AccountIds ids, Callers callers, IOptions<GatewayOptions> options, TimeProvider time)
    {
        var fields = RequestBody.Read(request, WireContract.OperatorAction, ids, out var problem);
        if (problem is not null)
        {
            return (null, problem);
        }

        var action = RequestParsers.OperatorAction(fields!, time.GetUtcNow(), options.Value.MaxSuspension, callers.Actor(request.HttpContext));
        return action is null ? (null, Problems.Field(fields!.ErrorField!, fields.Error!)) : (action, null);
    }
}
