using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary>An API key and its configured hash, as the key command makes them.</summary>
public sealed record TestApiKey(string Name, string Role, string Key)
{
    public static TestApiKey Create(string name, string role) =>
        new(name, role, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));

    public IEnumerable<string> Arguments(int index) =>
    [
        $"--Auth:Keys:{index}:Name", Name,
        $"--Auth:Keys:{index}:Role", Role,
        $"--Auth:Keys:{index}:Sha256", Sha256,
    ];
}

/// <summary>An identity provider of the test's own: an RSA key it signs tokens with.</summary>
public sealed class TestTokenIssuer
{
    public const string Issuer = "https://idp.reputationgrid.test";
    public const string Audience = "reputationgrid";

    public RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = "test-key" };

    /// <summary>A token naming <paramref name="subject"/> with <paramref name="roles"/> in the <c>roles</c> claim.</summary>
    public string Token(string subject, IEnumerable<string> roles, RsaSecurityKey? signedWith = null, string audience = Audience)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles.ToArray() };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(signedWith ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
