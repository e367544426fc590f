using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ReputationGrid.Host;

namespace ReputationGrid.Api.Tests.Evidence;

/// <summary>The <c>Evidence</c> settings are checked when the host starts: a bad one stops it, naming the setting.</summary>
public sealed class EvidenceSettingsTests
{
    public static TheoryData<string, string, string> BadSettings()
    {
        using var rsa = RSA.Create(2048);
        using var otherCurve = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var directory = Directory.CreateTempSubdirectory("rg-evidence-settings-").FullName;
        var rsaKey = Path.Combine(directory, "rsa.pem");
        var p384Key = Path.Combine(directory, "p384.pem");
        File.WriteAllText(rsaKey, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(p384Key, otherCurve.ExportPkcs8PrivateKeyPem());
        return new()
        {
            { "Evidence:SigningKeyPath", Path.Combine(directory, "absent.pem"), "Evidence:SigningKeyPath" },
            { "Evidence:SigningKeyPath", rsaKey, "Evidence:SigningKeyPath" },
            { "Evidence:SigningKeyPath", p384Key, "P-256" },
            { "Evidence:MaxFileBytes", "100", "Evidence:MaxFileBytes" },
            { "Evidence:Retention", "00:10:00", "Evidence:Retention" },
        };
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_start_up_naming_it(string setting, string value, string named)
    {
        await using var app = EmbeddedHost.Create(
            ["--urls", "http://127.0.0.1:0", "--Gateway:GrpcUrl", "", $"--{setting}", value, .. GatewayFixture.ClusterArguments()]);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }
}
