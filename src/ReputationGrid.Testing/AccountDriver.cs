using ReputationGrid.Contracts;
using ReputationGrid.Scoring;

namespace ReputationGrid.Testing;

/// <summary>Drives one account through its grain interface, on simulated event time.</summary>
public sealed class AccountDriver(IGrainFactory grains, string id)
{
    public IAccountGrain Grain { get; } = grains.GetGrain<IAccountGrain>(id);

    public Task RegisterAsync(DateTimeOffset at, NetworkKind network = NetworkKind.Mobile) =>
        Grain.RecordAsync([new AccountRegistered(at, network)]);

    public Task<SendDecision> SendAsync(DateTimeOffset at, string recipient, bool contact, string? fingerprint = null, bool? typed = true) =>
        Grain.CheckSendAsync(at, new MessageDetails(recipient, contact, Fingerprint: fingerprint, Typed: typed));

    public Task RecordAsync(params AccountEvent[] events) => Grain.RecordAsync([.. events]);

    public Task<AccountView> ViewAsync() => Grain.GetViewAsync();
}
