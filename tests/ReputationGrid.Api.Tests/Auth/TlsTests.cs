using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Grpc.V1;
using ReputationGrid.Host;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Api.Tests.Auth;

/// <summary>HTTPS through Kestrel's standard endpoint configuration, HTTP/1.1 and gRPC (HTTP/2) on one TLS port, with a certificate the test makes.</summary>
public sealed class TlsTests
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_host_serves_http_and_grpc_over_tls_from_kestrel_endpoint_configuration()
    {
        using var certificate = SelfSignedForLoopback();
        var directory = Directory.CreateTempSubdirectory("reputationgrid-tls-");
        try
        {
            const string password = "test-only";
            var pfx = Path.Combine(directory.FullName, "gateway.pfx");
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, password), Cancel);
            var key = TestApiKey.Create("fe-tls", Roles.Sender);
            var url = $"https://127.0.0.1:{LoopbackPorts.Free()}";
            await using var app = EmbeddedHost.Create(
            [
                "--Kestrel:Endpoints:Https:Url", url,
                "--Kestrel:Endpoints:Https:Protocols", "Http1AndHttp2",
                "--Kestrel:Endpoints:Https:Certificate:Path", pfx,
                "--Kestrel:Endpoints:Https:Certificate:Password", password,
                .. key.Arguments(0),
                .. GatewayFixture.ClusterArguments(),
            ]);
            await app.StartAsync(Cancel);

            using var http = new HttpClient(Trusting(certificate)) { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
            using var response = await http.PostAsJsonAsync("/v1/decisions/send", new { account = "tls", recipient = "b", recipientIsContact = true }, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(new Version(1, 1), response.Version);
            Assert.Equal("allow", (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("action").GetString());

            using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = Trusting(certificate) });
            var decision = await new Reputation.ReputationClient(channel).CheckSendAsync(
                new CheckSendRequest { Account = "tls", Recipient = "b", RecipientIsContact = true },
                new Metadata { { "Authorization", $"Bearer {key.Key}" } }, cancellationToken: Cancel);
            Assert.Equal("allow", decision.Action);

            await app.StopAsync(Cancel);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A client handler that trusts exactly <paramref name="certificate"/>.</summary>
    private static SocketsHttpHandler Trusting(X509Certificate2 certificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();
        return handler;
    }

    private static X509Certificate2 SelfSignedForLoopback()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
