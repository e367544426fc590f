using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Evidence;

/// <summary>Cases' attached files and the key evidence exports are signed with (configuration section <c>Evidence</c>).</summary>
public sealed class EvidenceGatewayOptions
{
    public const string SectionName = "Evidence";

    /// <summary>
    /// A PEM file holding the ECDSA P-256 private key exports are signed with; unset, exports are refused. Read at
    /// start-up: a file that is missing or holds another kind of key stops the gateway.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// The largest file an evidence item may attach, at most <see cref="ICaseGrain.MaxFileBytes"/>; its base64 must also
    /// fit <c>Gateway:MaxRequestBodyBytes</c>.
    /// </summary>
    public long MaxFileBytes { get; set; } = 512 * 1024;
}

internal sealed class EvidenceGatewayOptionsValidator : IValidateOptions<EvidenceGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, EvidenceGatewayOptions options)
    {
        var errors = new List<string>();
        if (options.MaxFileBytes is < 1024 or > ICaseGrain.MaxFileBytes)
        {
            errors.Add($"Evidence:MaxFileBytes must be between 1024 and {ICaseGrain.MaxFileBytes}.");
        }

        if (!string.IsNullOrEmpty(options.SigningKeyPath))
        {
            try
            {
                using var key = EvidenceSigner.ReadKey(options.SigningKeyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
            {
                errors.Add($"Evidence:SigningKeyPath: {e.Message}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
