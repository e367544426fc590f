using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Auth;

/// <summary>
/// <c>keys create --name &lt;name&gt; --role &lt;role&gt; [--index &lt;n&gt;]</c>: makes a new random API key (32 bytes,
/// base64url) and prints it once, with the configuration that admits it (only its SHA-256 is configured).
/// </summary>
public static class KeyCommand
{
    private const string Usage =
        $"usage: keys create --name <name> --role <sender|operator|auditor|admin> [--index <n>]; the name is {Identifiers.Rule}";

    /// <summary>Runs the command when <paramref name="args"/> start with <c>keys</c>: the exit code; null for any other arguments.</summary>
    public static int? TryRun(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["keys", ..])
        {
            return null;
        }

        if (args is not ["keys", "create", .. var options] || !TryParse(options, out var name, out var role, out var index))
        {
            error.WriteLine(Usage);
            return 2;
        }

        var key = NewKey();
        var sha256 = Hash(key);
        output.WriteLine($$"""
            New API key for '{{name}}' (role {{role}}). It is shown only this once; ReputationGrid stores only its hash.

              {{key}}

            Callers send it as: Authorization: Bearer <key>
            Add to appsettings.json (as entry {{index}} of Auth:Keys):

              "Auth": { "Keys": [ { "Name": "{{name}}", "Role": "{{role}}", "Sha256": "{{sha256}}" } ] }

            or as environment variables:

              Auth__Keys__{{index}}__Name={{name}}
              Auth__Keys__{{index}}__Role={{role}}
              Auth__Keys__{{index}}__Sha256={{sha256}}
            """);
        return 0;
    }

    /// <summary>A new random key: 32 bytes, base64url.</summary>
    public static string NewKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The lowercase hex SHA-256 of a key's UTF-8 bytes, as <c>Auth:Keys:{n}:Sha256</c> holds it.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static bool TryParse(string[] options, out string name, out string role, out int index)
    {
        name = role = "";
        index = 0;
        for (var i = 0; i + 1 < options.Length; i += 2)
        {
            switch (options[i])
            {
                case "--name":
                    name = options[i + 1];
                    break;
                case "--role":
                    role = options[i + 1];
                    break;
                case "--index" when int.TryParse(options[i + 1], out var parsed) && parsed >= 0:
                    index = parsed;
                    break;
                default:
                    return false;
            }
        }

        return options.Length % 2 == 0 && Identifiers.IsValid(name) && Roles.IsKnown(role);
    }
}
