using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ReputationGrid.Api.Evidence;

/// <summary>
/// Signs evidence manifests with the configured ECDSA P-256 key (<see cref="EvidenceGatewayOptions.SigningKeyPath"/>):
/// SHA-256, the signature as r‖s (IEEE P1363, 64 bytes). A verifier needs only the public key.
/// </summary>
public sealed class EvidenceSigner : IDisposable
{
    private readonly ECDsa? _key;

    public EvidenceSigner(IOptions<EvidenceGatewayOptions> options)
    {
        if (!string.IsNullOrEmpty(options.Value.SigningKeyPath))
        {
            _key = ReadKey(options.Value.SigningKeyPath);
            PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
            Fingerprint = FingerprintOf(_key);
        }
    }

    /// <summary>Whether a key is configured: without one, nothing can be signed.</summary>
    public bool CanSign => _key is not null;

    /// <summary>The public key, as a PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo).</summary>
    public string? PublicKeyPem { get; }

    /// <summary>The lowercase hex SHA-256 of the public key's SubjectPublicKeyInfo bytes.</summary>
    public string? Fingerprint { get; }

    public byte[] Sign(byte[] data) =>
        (_key ?? throw new InvalidOperationException("No evidence signing key is configured.")).SignData(data, HashAlgorithmName.SHA256);

    /// <summary>The P-256 private key in the PEM file at <paramref name="path"/>.</summary>
    public static ECDsa ReadKey(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value || key.ExportParameters(true).D is null)
            {
                throw new CryptographicException($"{path} must hold an ECDSA P-256 private key.");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The lowercase hex SHA-256 of a public key's SubjectPublicKeyInfo bytes.</summary>
    public static string FingerprintOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public void Dispose() => _key?.Dispose();
}
