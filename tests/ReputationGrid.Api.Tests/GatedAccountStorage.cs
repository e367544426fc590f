using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ReputationGrid.Api.Tests;

/// <summary>
/// Account storage that keeps nothing and holds the first read of the account <see cref="HeldAccount"/> until
/// <see cref="Release"/>: a request for that account keeps its gateway slot for as long as a test needs.
/// </summary>
public sealed class GatedAccountStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public const string HeldAccount = "held";

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a read of the held account is waiting.</summary>
    public Task Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>Replaces the account storage (named by <c>Accounts:StorageName</c>, default <c>accounts</c>) of an embedded host.</summary>
    public void Install(WebApplicationBuilder builder) => builder.Services.AddKeyedSingleton<IGrainStorage>("accounts", this);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainId.Key.ToString() == HeldAccount)
        {
            _reached.TrySetResult();
            await _released.Task;
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.ETag = "stored";
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
    }
}
