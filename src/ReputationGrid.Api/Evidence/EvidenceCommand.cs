namespace ReputationGrid.Api.Evidence;

/// <summary>
/// <c>evidence verify FILE [--public-key PEM]</c>: checks an evidence export offline (see <see cref="EvidenceVerifier"/>).
/// Exit code 0 when every part matches the manifest and the signature is valid, 1 with what failed otherwise, 2 for bad usage.
/// </summary>
public static class EvidenceCommand
{
    private const string Usage = "usage: evidence verify FILE [--public-key PEM]";

    /// <summary>Runs the command when <paramref name="args"/> start with <c>evidence</c>: the exit code; null for any other arguments.</summary>
    public static int? TryRun(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["evidence", ..])
        {
            return null;
        }

        string? keyPath = null;
        string file;
        switch (args)
        {
            case ["evidence", "verify", var only]:
                file = only;
                break;
            case ["evidence", "verify", var path, "--public-key", var key]:
                (file, keyPath) = (path, key);
                break;
            default:
                error.WriteLine(Usage);
                return 2;
        }

        string? publicKey = null;
        EvidenceVerification result;
        try
        {
            publicKey = keyPath is null ? null : File.ReadAllText(keyPath);
            using var zip = File.OpenRead(file);
            result = EvidenceVerifier.Verify(zip, publicKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{(publicKey is null && keyPath is not null ? keyPath : file)}: {e.Message}");
            return 2;
        }

        foreach (var problem in result.Problems)
        {
            output.WriteLine($"FAILED {problem}");
        }

        if (!result.Valid)
        {
            output.WriteLine($"{file}: NOT VALID ({result.Problems.Count} problem(s))");
            return 1;
        }

        output.WriteLine($"{file}: valid. {result.Parts} parts match the manifest; the signature is valid with key {result.Fingerprint}.");
        if (result.KeyFromExport)
        {
            output.WriteLine("The key is the one the export carries: compare its fingerprint with the platform's published one, or pass --public-key.");
        }

        return 0;
    }
}
