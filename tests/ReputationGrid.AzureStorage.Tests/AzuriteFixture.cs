using ReputationGrid.AzureStorage.Tests;
using ReputationGrid.Testing.Servers;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

namespace ReputationGrid.AzureStorage.Tests;

/// <summary>One Azurite for the tests of this assembly that do not stop it; each test class uses tables of its own.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteServer Server { get; } = new();

    public string ConnectionString => Server.ConnectionString;

    /// <summary>A table name no other test uses.</summary>
    public static string NewTableName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 32)];

    public async ValueTask InitializeAsync() => await Server.StartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
