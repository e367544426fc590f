using ReputationGrid.Api;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// The framework's floor for baseline (a): the send-time check's signature, request and answer, and no work.
/// It lives in the driver, so every silo process the driver starts can host it; the runs call it only in a silo of its own.
/// </summary>
[Alias("rg.bench.INoopGrain")]
public interface INoopGrain : IGrainWithStringKey
{
    [Alias("CheckSend")]
    Task<SendDecision> CheckSendAsync(DateTimeOffset at, MessageDetails message);
}

public sealed class NoopGrain : Grain, INoopGrain
{
    private static readonly Task<SendDecision> Allow = Task.FromResult(new SendDecision(EnforcementAction.Allow, 100, [], null, null, "noop"));

    public Task<SendDecision> CheckSendAsync(DateTimeOffset at, MessageDetails message) => Allow;
}

/// <summary>
/// The HTTP path's floor with Orleans in it: the empty endpoint's request and answer with a no-op grain call for the
/// request's account between them, served by a second web app in the no-op grain's silo process, so that its requests
/// meet the collections and scheduling of a silo holding as many activations as the subject's gateway meets.
/// </summary>
internal static class NoopGrainEndpoint
{
    /// <summary>The configuration key of its address; empty or absent in a silo that does not serve it.</summary>
    public const string UrlKey = "NoopEndpoint:Url";

    private static readonly MessageDetails Message = new("peer", RecipientIsContact: true, Typed: true);

    public static WebApplication Create(string[] args, IGrainFactory grains)
    {
        var app = WebApplication.CreateBuilder(args).Build();
        app.MapPost("/v1/decisions/send", new Endpoint(grains).HandleAsync);
        return app;
    }

    /// <summary>Made once and writing its answer itself, as the other endpoints are.</summary>
    private sealed class Endpoint(IGrainFactory grains)
    {
        private readonly GrainReferences<INoopGrain> _grains = new(grains);

        public async Task HandleAsync(HttpContext context)
        {
            var (account, problem) = await SendCheckRequest.ReadAccountAsync(context.Request);
            if (account is null)
            {
                await problem!.ExecuteAsync(context);
                return;
            }

            await _grains.Get(account).CheckSendAsync(DateTimeOffset.UtcNow, Message);
            await context.Response.WriteAsJsonAsync(new LimiterDecision(account, "allow", null), LimiterJsonContext.Default.LimiterDecision);
        }
    }
}
