using System.Security.Cryptography;
using ReputationGrid.Api.Tests.Auth;

namespace ReputationGrid.Api.Tests.Evidence;

/// <summary>The authenticated host with an evidence signing key of the test's own and a small bound on attached files.</summary>
public sealed class EvidenceGatewayFixture : AuthenticatedGatewayFixture
{
    public const int MaxFileBytes = 16 * 1024;

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("rg-evidence-").FullName;

    public EvidenceGatewayFixture()
    {
        SigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        KeyPath = Path.Combine(_directory, "signing.pem");
        File.WriteAllText(KeyPath, SigningKey.ExportPkcs8PrivateKeyPem());
    }

    public ECDsa SigningKey { get; }

    public string KeyPath { get; }

    /// <summary>A directory the test may write files to; removed with the fixture.</summary>
    public string WorkDirectory => _directory;

    protected override IEnumerable<string> ExtraArguments() =>
    [
        .. base.ExtraArguments(),
        "--Evidence:SigningKeyPath", KeyPath,
        "--Evidence:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SigningKey.Dispose();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
