using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReputationGrid.Api.Auth;
using ReputationGrid.Host;
using ReputationGrid.ServiceDefaults;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary><c>keys create</c> prints a new key once with configuration that admits it, and nothing else is needed.</summary>
public sealed partial class KeyCommandTests
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static (int? ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = KeyCommand.TryRun(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_created_key_is_printed_with_configuration_that_admits_it_in_its_role()
    {
        var (exitCode, output, _) = Run("keys", "create", "--name", "fe-1", "--role", "sender");

        Assert.Equal(0, exitCode);
        var key = PrintedKey().Match(output).Groups["key"].Value;
        Assert.Equal(32, Base64Url.DecodeFromChars(key).Length);
        var environment = EnvironmentLine().Matches(output).ToDictionary(m => m.Groups["field"].Value, m => m.Groups["value"].Value);
        Assert.Equal("fe-1", environment["Name"]);
        Assert.Equal("sender", environment["Role"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), environment["Sha256"]);
        using var json = JsonDocument.Parse($"{{{JsonLine().Match(output).Value}}}");
        Assert.Equal(environment["Sha256"], json.RootElement.GetProperty("Auth").GetProperty("Keys")[0].GetProperty("Sha256").GetString());

        await using var app = EmbeddedHost.Create(
        [
            "--urls", "http://127.0.0.1:0", "--Gateway:GrpcUrl", "",
            .. environment.SelectMany(setting => new[] { $"--Auth:Keys:0:{setting.Key}", setting.Value }),
            .. GatewayFixture.ClusterArguments(),
        ]);
        await app.StartAsync(Cancel);
        using var http = new HttpClient { BaseAddress = new Uri(app.Addresses().Single()) };
        Assert.Equal(HttpStatusCode.OK, (await RoleTests.Send(http, HttpMethod.Post, "/v1/decisions/send", key, """{"account": "k", "recipient": "b", "recipientIsContact": true}""", Cancel)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await RoleTests.Send(http, HttpMethod.Get, "/v1/accounts/k", key, null, Cancel)).Status);
        await app.StopAsync(Cancel);
    }

    [Fact]
    public void Every_key_is_new()
    {
        var first = PrintedKey().Match(Run("keys", "create", "--name", "a", "--role", "admin").Output).Groups["key"].Value;
        var second = PrintedKey().Match(Run("keys", "create", "--name", "a", "--role", "admin").Output).Groups["key"].Value;

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_index_option_numbers_the_configuration_lines()
    {
        Assert.Contains("Auth__Keys__3__Role=auditor", Run("keys", "create", "--name", "audit", "--role", "auditor", "--index", "3").Output);
    }

    [Theory]
    [InlineData("keys")]
    [InlineData("keys", "create", "--name", "x")]
    [InlineData("keys", "create", "--name", "x", "--role", "root")]
    [InlineData("keys", "create", "--name", "x", "--role", "sender", "--colour")]
    [InlineData("keys", "create", "--name", "two words", "--role", "sender")]
    [InlineData("keys", "delete", "--name", "x")]
    public void A_bad_command_line_prints_the_usage_and_fails(params string[] args)
    {
        var (exitCode, output, error) = Run(args);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("usage: keys create", error);
    }

    [Fact]
    public void Other_arguments_are_left_to_the_host()
    {
        Assert.Null(Run("--urls", "http://127.0.0.1:5080").ExitCode);
        Assert.Null(Run().ExitCode);
    }

    [GeneratedRegex(@"^  (?<key>[A-Za-z0-9_-]{43})$", RegexOptions.Multiline)]
    private static partial Regex PrintedKey();

    [GeneratedRegex(@"^  Auth__Keys__0__(?<field>\w+)=(?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex EnvironmentLine();

    [GeneratedRegex(@"""Auth"": \{.*\}", RegexOptions.Multiline)]
    private static partial Regex JsonLine();
}
