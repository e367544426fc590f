using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Playwright;
using ReputationGrid.Api.Auth;
using ReputationGrid.Host;
using ReputationGrid.ServiceDefaults;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.OperatorConsole.Tests;

/// <summary>An API key of the test's own, with the role it is configured with.</summary>
public sealed record ConsoleKey(string Name, string Role)
{
    public string Key { get; } = KeyCommand.NewKey();

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
}

/// <summary>
/// The embedded host (silo, API and console) on a loopback port of its own, with an operator, an auditor, an admin and a
/// sender key and an evidence signing key the fixture generates, and one headless Chromium (the system's, never a
/// downloaded one) for the test class.
/// </summary>
public class ConsoleFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public ConsoleKey Operator { get; } = new("ops-alice", Roles.Operator);

    public ConsoleKey Auditor { get; } = new("audit-bob", Roles.Auditor);

    public ConsoleKey Sender { get; } = new("frontend", Roles.Sender);

    public ConsoleKey Admin { get; } = new("admin-carol", Roles.Admin);

    /// <summary>Operator keys that a session test removes or re-roles in the configuration while the host runs.</summary>
    public ConsoleKey[] Changing { get; } = [new("ops-dave", Roles.Operator), new("ops-erin", Roles.Operator)];

    /// <summary>The public key of the key evidence exports are signed with (PEM), for verifying them.</summary>
    public string EvidencePublicKeyPem { get; private set; } = "";

    private readonly string _directory = Directory.CreateTempSubdirectory("rg-console-").FullName;

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: kept with the test output.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        ConsoleKey[] keys = [Operator, Auditor, Sender, Admin, .. Changing];
        using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingKeyPath = Path.Combine(_directory, "evidence-signing.pem");
        await File.WriteAllTextAsync(signingKeyPath, signingKey.ExportPkcs8PrivateKeyPem());
        EvidencePublicKeyPem = signingKey.ExportSubjectPublicKeyInfoPem();
        _app = EmbeddedHost.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--Gateway:GrpcUrl", "",
            "--Clustering:SiloPort", LoopbackPorts.Free().ToString(),
            "--Clustering:GatewayPort", LoopbackPorts.Free().ToString(),
            "--Clustering:ClusterId", $"console-tests-{Guid.NewGuid():N}",
            "--Logging:LogLevel:Default", "Warning",
            "--Console:Dashboard", "true",
            "--Evidence:SigningKeyPath", signingKeyPath,
            .. await ExtraArgumentsAsync(),
            .. keys.SelectMany((key, i) => new[]
            {
                $"--Auth:Keys:{i}:Name", key.Name, $"--Auth:Keys:{i}:Role", key.Role, $"--Auth:Keys:{i}:Sha256", key.Sha256,
            }),
        ]);
        await _app.StartAsync();
        BaseUrl = _app.Addresses().Single();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>More configuration for the host, from a fixture that starts something the host needs first.</summary>
    protected virtual ValueTask<IEnumerable<string>> ExtraArgumentsAsync() => ValueTask.FromResult(Enumerable.Empty<string>());

    /// <summary>Changes the running host's configuration, as an edited configuration file that is reloaded would.</summary>
    public void Reconfigure(Dictionary<string, string?> values) =>
        ((IConfigurationBuilder)_app!.Configuration).Add(new MemoryConfigurationSource { InitialData = values });

    /// <summary>The configuration key of <paramref name="key"/>'s <paramref name="setting"/> (Name, Role or Sha256).</summary>
    public string KeySetting(ConsoleKey key, string setting) =>
        $"Auth:Keys:{Array.IndexOf([Operator, Auditor, Sender, Admin, .. Changing], key)}:{setting}";

    /// <summary>An HTTP client of the API holding <paramref name="key"/>.</summary>
    public HttpClient Api(ConsoleKey key)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        return http;
    }

    /// <summary>A fresh browser session (no cookies) at 1280×800, unless another viewport is given.</summary>
    public Task<IBrowserContext> NewSessionAsync(int width = 1280, int height = 800) =>
        Browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = width, Height = height } });

    public virtual async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
