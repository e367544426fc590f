using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using ReputationGrid.Grains.Accounts;

namespace ReputationGrid.Grains.Tests;

/// <summary>
/// Counts the writes each grain makes through a wrapped storage provider, so tests can see when state is stored, and
/// makes chosen reads and writes fail as a real storage's can.
/// </summary>
internal sealed class StorageRecorder
{
    private readonly ConcurrentDictionary<GrainId, int> _writes = new();
    private readonly ConcurrentDictionary<GrainId, TaskCompletionSource> _nextWrite = new();
    private readonly ConcurrentDictionary<GrainId, bool> _conflicts = new();
    private readonly ConcurrentDictionary<GrainId, bool> _lostAnswers = new();
    private readonly ConcurrentDictionary<GrainId, Exception> _readFailures = new();
    private readonly ConcurrentDictionary<GrainId, byte[]> _unreadable = new();

    private readonly ConcurrentDictionary<GrainId, int> _clears = new();

    public int Writes(GrainId grain) => _writes.GetValueOrDefault(grain);

    /// <summary>How many of the grain's states were cleared (dropped) from storage.</summary>
    public int Clears(GrainId grain) => _clears.GetValueOrDefault(grain);

    public void Cleared(GrainId grain) => _clears.AddOrUpdate(grain, 1, (_, count) => count + 1);

    /// <summary>Completes at the grain's next write after this call.</summary>
    public Task NextWriteAsync(GrainId grain) =>
        _nextWrite.GetOrAdd(grain, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The grain's next write fails as if another activation had stored a newer state (a stale ETag).</summary>
    public void ConflictOnNextWrite(GrainId grain) => _conflicts[grain] = true;

    public bool TakeConflict(GrainId grain) => _conflicts.TryRemove(grain, out _);

    /// <summary>The grain's next write is stored, but reports a timeout and leaves the grain the ETag it had before.</summary>
    public void LoseAnswerToNextWrite(GrainId grain) => _lostAnswers[grain] = true;

    public bool TakeLostAnswer(GrainId grain) => _lostAnswers.TryRemove(grain, out _);

    /// <summary>The grain's next read fails with <paramref name="error"/>, as when the storage cannot be reached.</summary>
    public void FailNextRead(GrainId grain, Exception error) => _readFailures[grain] = error;

    public Exception? TakeReadFailure(GrainId grain) => _readFailures.TryRemove(grain, out var error) ? error : null;

    /// <summary>Every read of the grain's account state from now on finds <paramref name="stored"/> in place of what was written.</summary>
    public void StoreUnreadable(GrainId grain, byte[] stored) => _unreadable[grain] = stored;

    public byte[]? Unreadable(GrainId grain) => _unreadable.GetValueOrDefault(grain);

    public void Written(GrainId grain)
    {
        _writes.AddOrUpdate(grain, 1, (_, count) => count + 1);
        if (_nextWrite.TryRemove(grain, out var waiting))
        {
            waiting.SetResult();
        }
    }

    /// <summary>Wraps memory storage named <c>inner</c> as the storage named <paramref name="name"/>.</summary>
    public void Install(ISiloBuilder silo, string name)
    {
        silo.AddMemoryGrainStorage("inner");
        silo.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) =>
            new RecordingGrainStorage(services.GetRequiredKeyedService<IGrainStorage>("inner"), this));
    }
}

internal sealed class RecordingGrainStorage(IGrainStorage inner, StorageRecorder recorder) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (recorder.TakeReadFailure(grainId) is { } error)
        {
            throw error;
        }

        await inner.ReadStateAsync(stateName, grainId, grainState);
        if (recorder.Unreadable(grainId) is { } stored && grainState.State is AccountState account)
        {
            account.Reputation = stored;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (recorder.TakeConflict(grainId))
        {
            throw new InconsistentStateException("Another activation stored a newer state.", "newer-etag", grainState.ETag);
        }

        var etag = grainState.ETag;
        await inner.WriteStateAsync(stateName, grainId, grainState);
        recorder.Written(grainId);
        if (recorder.TakeLostAnswer(grainId))
        {
            grainState.ETag = etag;
            throw new TimeoutException("The storage applied the write, but its answer was lost.");
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.ClearStateAsync(stateName, grainId, grainState);
        recorder.Cleared(grainId);
    }
}
