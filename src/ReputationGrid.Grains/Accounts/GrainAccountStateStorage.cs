using Orleans.Core;
using Orleans.Storage;

namespace ReputationGrid.Grains.Accounts;

/// <summary>
/// An account's state in the silo's grain storage. It uses the storage bridge without Orleans' persistent-state facet,
/// which would subscribe every account to the activation lifecycle and to migration at about 400 bytes each: the
/// account's first call reads the state instead, and an account moved to another silo reads it back from storage.
/// Between operations it keeps only the stored version (the etag): each read or write goes through a bridge of its own,
/// which carries that version and hands back the one storage returns, so an idle account holds no bridge and state
/// (about 160 bytes). The <see cref="AccountStore"/> never runs two storage operations at once, which the shared bridge
/// would otherwise have queued.
/// </summary>
internal sealed class GrainAccountStateStorage(string stateName, IGrainContext grain, IGrainStorage storage) : IAccountStateStorage
{
    private string? _etag;

    public async Task<byte[]?> ReadAsync()
    {
        var state = Bridge();
        try
        {
            await state.ReadStateAsync();
        }
        finally
        {
            _etag = state.Etag;
        }

        return state.State.Reputation;
    }

    public async Task WriteAsync(byte[] encoded)
    {
        var state = Bridge();
        state.State = new AccountState { Reputation = encoded };
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _etag = state.Etag;
        }
    }

    private StateStorageBridge<AccountState> Bridge() => new(stateName, grain, storage) { Etag = _etag };
}
