using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReputationGrid.Api.Evidence;

/// <summary>
/// The evidence export's ZIP: its parts, the manifest that lists each part's SHA-256 and size, the manifest's signature
/// and the public key that checks it. One definition for the exporter and the verifier.
/// </summary>
public static class EvidencePackage
{
    /// <summary>Names this format in the manifest; a verifier refuses any other.</summary>
    public const string Format = "reputationgrid-evidence/1";

    public const string ManifestName = "manifest.json";

    /// <summary>The ECDSA P-256 signature of the manifest's bytes, base64 of r‖s.</summary>
    public const string SignatureName = "manifest.sig";

    /// <summary>The signer's public key (a part like any other, so it is hashed too).</summary>
    public const string PublicKeyName = "public-key.pem";

    public const string SignatureAlgorithm = "ECDSA P-256, SHA-256, IEEE P1363 (r||s), base64";

    /// <summary>A name safe as one segment of a path inside the ZIP: ids may hold dots and colons, never "..".</summary>
    public static string Segment(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return safe.ToString();
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static byte[] Write(EvidenceManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, EvidenceJsonContext.Default.EvidenceManifest);

    /// <summary>The manifest in <paramref name="utf8"/>, or null when it is not one.</summary>
    public static EvidenceManifest? Read(byte[] utf8)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, EvidenceJsonContext.Default.EvidenceManifest);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <param name="ExportedBy">The caller who exported it.</param>
/// <param name="PublicKeySha256">The SHA-256 of the signer's public key (SubjectPublicKeyInfo bytes), its fingerprint.</param>
public sealed record EvidenceManifest(
    string Format,
    string Case,
    DateTimeOffset ExportedAt,
    string ExportedBy,
    string SignatureAlgorithm,
    string PublicKeySha256,
    EvidencePart[] Parts);

/// <param name="Path">The part's name in the ZIP.</param>
public sealed record EvidencePart(string Path, string Sha256, long Size);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(EvidenceManifest))]
internal sealed partial class EvidenceJsonContext : JsonSerializerContext;
