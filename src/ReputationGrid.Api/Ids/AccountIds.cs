using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Ids;

/// <summary>How accounts are named inside the cluster (configuration section <c>Ids</c>).</summary>
public sealed class IdsOptions
{
    public const string SectionName = "Ids";

    /// <summary>Shorter keys are refused: an HMAC key of fewer bytes than its output weakens it.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>
    /// The HMAC-SHA256 key, base64, of at least <see cref="MinKeyBytes"/> bytes: when set, every account id is replaced by its
    /// pseudonym before it reaches a grain; unset (the default), account ids are stored as sent.
    /// </summary>
    public string? PseudonymKey { get; set; }

    /// <summary>The key's bytes, or null when no key is set or it is not valid base64.</summary>
    public byte[]? KeyBytes()
    {
        if (string.IsNullOrEmpty(PseudonymKey))
        {
            return null;
        }

        var bytes = new byte[PseudonymKey.Length];
        return Convert.TryFromBase64String(PseudonymKey, bytes, out var length) ? bytes[..length] : null;
    }
}

internal sealed class IdsOptionsValidator : IValidateOptions<IdsOptions>
{
    public ValidateOptionsResult Validate(string? name, IdsOptions options) =>
        string.IsNullOrEmpty(options.PseudonymKey) || options.KeyBytes() is { Length: >= IdsOptions.MinKeyBytes }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{IdsOptions.SectionName}:{nameof(IdsOptions.PseudonymKey)} must be base64 of at least {IdsOptions.MinKeyBytes} random bytes (e.g. openssl rand -base64 32).");
}

/// <summary>
/// The id an account is stored under: the id the platform sent, or, with <see cref="IdsOptions.PseudonymKey"/> set, its
/// pseudonym: the HMAC-SHA256 of the id under the key, 43 characters of unpadded base64url (itself a valid id). The same id
/// always gets the same pseudonym, so every path into the cluster (HTTP, gRPC, the console) reaches the same account.
/// </summary>
public sealed class AccountIds
{
    public const int PseudonymLength = 43;

    // One HMAC per thread, kept keyed between ids: keying it anew for every id cost most of the time of each.
    private readonly ThreadLocal<IncrementalHash>? _hmac;

    public AccountIds(IOptions<IdsOptions> options)
    {
        if (options.Value.KeyBytes() is { } key)
        {
            _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
        }
    }

    /// <summary>The stored id of a valid account id (<see cref="Identifiers.IsValid"/>); the id itself when no key is set.</summary>
    public string Stored(string id)
    {
        if (_hmac is null)
        {
            return id;
        }

        // Valid ids are ASCII, so the UTF-8 bytes fit the stack; only the pseudonym's string is allocated.
        Span<byte> utf8 = stackalloc byte[Identifiers.MaxLength];
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hmac = _hmac.Value!;
        hmac.AppendData(utf8[..Encoding.ASCII.GetBytes(id, utf8)]);
        hmac.GetHashAndReset(mac);
        return Base64Url.EncodeToString(mac);
    }
}
