using Orleans.Core;
using Orleans.Storage;

namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// An account's state in the silo's grain storage. It uses the storage bridge without Orleans' persistent-state facet,
/// which would subscribe every account to the activation lifecycle and to migration at about 400 bytes each: the
/// account's first call reads the state instead, and an account moved to another silo reads it back from storage.
/// </summary>
internal sealed class GrainAccountStateStorage(string stateName, IGrainContext grain, IGrainStorage storage) : IAccountStateStorage
{
    private readonly StateStorageBridge<AccountState> _state = new(stateName, grain, storage);

    public async Task<byte[]?> ReadAsync()
    {
        await _state.ReadStateAsync();
        var stored = _state.State.Reputation;
        _state.State.Reputation = null; // the caller keeps the decoded account: keeping its encoding too would double its memory
        return stored;
    }

    public async Task WriteAsync(byte[] encoded)
    {
        _state.State.Reputation = encoded;
        try
        {
            await _state.WriteStateAsync();
        }
        finally
        {
            _state.State.Reputation = null; // stored (or to be encoded afresh for a retry): not kept in memory
        }
    }
}
