using System.Security.Cryptography;
using ReputationGrid.Contracts;

namespace ReputationGrid.AzureStorage.Tests;

/// <summary>A case and the largest file an evidence item may attach, stored in Azure Table storage and read back by a new activation.</summary>
public sealed class CaseTableStorageTests(AccountStorageFixture fixture) : IClassFixture<AccountStorageFixture>
{
    [Fact]
    public async Task The_largest_attached_file_is_stored_and_read_back_whole()
    {
        var grain = fixture.Client.GetGrain<ICaseGrain>("case-azure");
        await grain.OpenAsync("stored in tables", null, "ops");
        var file = RandomNumberGenerator.GetBytes(ICaseGrain.MaxFileBytes);
        var item = new NewEvidenceItem("their website", DateTimeOffset.UtcNow.AddDays(-1), null, null, "capture.bin", null);

        Assert.Null((await grain.AddEvidenceAsync(item, file, "ops")).Error);
        Assert.StartsWith("content:", (await grain.AddEvidenceAsync(item, [.. file, 0], "ops")).Error);
        await fixture.DeactivateAsync(grain);

        Assert.Equal(file, await grain.GetFileAsync(1));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), (await grain.GetAsync())!.Evidence.Single().Sha256);
    }
}
