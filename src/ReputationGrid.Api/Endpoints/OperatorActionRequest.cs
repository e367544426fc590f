using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary>The body of an operator action on an account or an entity, taken by the calling operator.</summary>
internal static class OperatorActionRequest
{
    /// <summary>The action, or the problem to answer with when the body is not a valid one.</summary>
    public static async Task<(OperatorAction? Action, IResult? Problem)> ReadAsync(
        HttpRequest request, Callers callers, IOptions<GatewayOptions> options, TimeProvider time)
    {
        var (document, problem) = await RequestBody.ReadAsync(request, options.Value.MaxRequestBodyBytes);
        if (document is null)
        {
            return (null, problem);
        }

        using (document)
        {
            var action = RequestParsers.OperatorAction(document.RootElement, time.GetUtcNow(), callers.Actor(request.HttpContext), out var fields);
            return action is null ? (null, Problems.Field(fields.ErrorField!, fields.Error!)) : (action, null);
        }
    }
}
