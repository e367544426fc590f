using System.IO.Compression;
using System.Security.Cryptography;

namespace ReputationGrid.Api.Evidence;

/// <summary>What checking an evidence export found.</summary>
/// <param name="Problems">Everything that failed; empty when the export is intact and its signature valid.</param>
/// <param name="Fingerprint">The fingerprint of the key the signature was checked with; null when none could be read.</param>
/// <param name="KeyFromExport">Whether that key came from the export itself rather than from the verifier.</param>
public sealed record EvidenceVerification(IReadOnlyList<string> Problems, int Parts, string? Fingerprint, bool KeyFromExport)
{
    public bool Valid => Problems.Count == 0;
}

/// <summary>
/// Checks an evidence export offline (<see cref="EvidencePackage"/>): every part against the manifest's SHA-256 and size,
/// that nothing is missing or added, and the manifest's signature with the public key given (or, without one, the key
/// in the export, which proves integrity but not who signed).
/// </summary>
public static class EvidenceVerifier
{
    public static EvidenceVerification Verify(Stream zip, string? publicKeyPem)
    {
        var problems = new List<string>();
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            return new([$"not a ZIP file: {e.Message}"], 0, null, publicKeyPem is null);
        }

        using (archive)
        {
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (!entries.TryAdd(entry.FullName, Read(entry)))
                {
                    problems.Add($"{entry.FullName}: appears more than once");
                }
            }

            if (!entries.TryGetValue(EvidencePackage.ManifestName, out var manifestBytes) || EvidencePackage.Read(manifestBytes) is not { } manifest)
            {
                problems.Add($"{EvidencePackage.ManifestName}: missing or not a manifest");
                return new(problems, 0, null, publicKeyPem is null);
            }

            if (manifest.Format != EvidencePackage.Format)
            {
                problems.Add($"{EvidencePackage.ManifestName}: format '{manifest.Format}' is not {EvidencePackage.Format}");
            }

            CheckParts(manifest, entries, problems);
            var fingerprint = CheckSignature(manifest, manifestBytes, entries, publicKeyPem, problems);
            return new(problems, manifest.Parts.Length, fingerprint, publicKeyPem is null);
        }
    }

    private static void CheckParts(EvidenceManifest manifest, Dictionary<string, byte[]> entries, List<string> problems)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal) { EvidencePackage.ManifestName, EvidencePackage.SignatureName };
        foreach (var part in manifest.Parts)
        {
            if (!listed.Add(part.Path))
            {
                problems.Add($"{part.Path}: listed more than once in the manifest");
            }
            else if (!entries.TryGetValue(part.Path, out var content))
            {
                problems.Add($"{part.Path}: missing");
            }
            else if (content.Length != part.Size || EvidencePackage.Sha256(content) != part.Sha256)
            {
                problems.Add($"{part.Path}: does not match the manifest (SHA-256 {EvidencePackage.Sha256(content)}, {content.Length} bytes; "
                    + $"the manifest says {part.Sha256}, {part.Size} bytes)");
            }
        }

        problems.AddRange(entries.Keys.Where(path => !listed.Contains(path)).Select(path => $"{path}: not in the manifest"));
    }

    /// <summary>Checks the manifest's signature; the fingerprint of the key it was checked with.</summary>
    private static string? CheckSignature(
        EvidenceManifest manifest, byte[] manifestBytes, Dictionary<string, byte[]> entries, string? publicKeyPem, List<string> problems)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(publicKeyPem ?? (entries.TryGetValue(EvidencePackage.PublicKeyName, out var embedded)
                ? System.Text.Encoding.UTF8.GetString(embedded)
                : throw new ArgumentException($"{EvidencePackage.PublicKeyName} is missing and no --public-key was given")));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            problems.Add($"public key: {e.Message}");
            return null;
        }

        var fingerprint = EvidenceSigner.FingerprintOf(key);
        if (fingerprint != manifest.PublicKeySha256)
        {
            problems.Add($"public key: its fingerprint {fingerprint} is not the signer's, {manifest.PublicKeySha256}, that the manifest names");
        }

        byte[] signature;
        try
        {
            signature = entries.TryGetValue(EvidencePackage.SignatureName, out var text)
                ? Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(text).Trim())
                : throw new FormatException("missing");
        }
        catch (FormatException e)
        {
            problems.Add($"{EvidencePackage.SignatureName}: {e.Message}");
            return fingerprint;
        }

        if (!key.VerifyData(manifestBytes, signature, HashAlgorithmName.SHA256))
        {
            problems.Add($"{EvidencePackage.SignatureName}: the signature does not match the manifest with this key");
        }

        return fingerprint;
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var content = new MemoryStream();
        stream.CopyTo(content);
        return content.ToArray();
    }
}
