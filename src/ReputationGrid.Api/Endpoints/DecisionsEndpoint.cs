using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Parsing;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Endpoints;

/// <summary><c>POST /v1/decisions/send</c>: the send-time check, one call per message.</summary>
internal static class DecisionsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest request, AccountGrains accounts, IOptions<GatewayOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        var (document, problem) = await RequestBody.ReadAsync(request, limits.MaxRequestBodyBytes);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var check = RequestParsers.SendCheck(document.RootElement, new EventClock(time.GetUtcNow(), limits.MaxFutureSkew), out var fields);
            if (check is null)
            {
                return Problems.Field(fields.ErrorField!, fields.Error!);
            }

            var decision = await accounts.Get(check.Account).CheckSendAsync(check.At, check.Message);
            return Results.Json(DecisionResponse.From(check.Account, decision), GatewayJsonContext.Default.DecisionResponse);
        }
    }
}
