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
