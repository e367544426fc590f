using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Evidence;
using ReputationGrid.Api.Tests.Auth;

namespace ReputationGrid.Api.Tests.Evidence;

/// <summary>
/// A case built through the API, exported as an auditor, and checked offline: the export verifies, and a tampered
/// part, a tampered manifest or the wrong key each fail, through the verifier and the <c>evidence verify</c> command.
/// </summary>
public sealed class EvidenceExportTests(EvidenceGatewayFixture gateway) : IClassFixture<EvidenceGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string role, HttpMethod method, string path, string? body = null)
    {
        var (status, text, _) = await RoleTests.Send(gateway.Http, method, path, gateway.Keys[role].Key, body, Cancel);
        return (status, text);
    }

    private static readonly byte[] Advert = Encoding.UTF8.GetBytes("Bulk messaging, 1M/day, no limits. Contact sales.");

    /// <summary>A case with a banned account linked to a device, the device, a note and an advert: exported as an auditor.</summary>
    private async Task<(string Case, byte[] Zip)> ExportedCaseAsync(string account)
    {
        var now = DateTimeOffset.UtcNow.ToString("O");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Roles.Sender, HttpMethod.Post, "/v1/events", $$"""
            {"events": [{"type": "account_registered", "account": "{{account}}", "deviceId": "{{account}}-phone", "network": "mobile", "at": "{{now}}"}]}
            """)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Roles.Operator, HttpMethod.Post, $"/v1/accounts/{account}/actions", """{"action": "ban", "note": "advertises bulk sends"}""")).Status);

        var (_, opened) = await SendAsync(Roles.Operator, HttpMethod.Post, "/v1/cases", """{"name": "Bulk sender v. platform"}""");
        var id = (string)JsonNode.Parse(opened)!["id"]!;
        await SendAsync(Roles.Operator, HttpMethod.Post, $"/v1/cases/{id}/accounts", $$"""{"account": "{{account}}"}""");
        await SendAsync(Roles.Operator, HttpMethod.Post, $"/v1/cases/{id}/entities", $$"""{"entity": "device/{{account}}-phone"}""");
        await SendAsync(Roles.Operator, HttpMethod.Post, $"/v1/cases/{id}/notes", """{"text": "kept sending after the ban of Nov 1"}""");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(Roles.Operator, HttpMethod.Post, $"/v1/cases/{id}/evidence", $$"""
            {"source": "their website", "seenAt": "2026-11-20T10:00:00Z", "fileName": "advert.txt", "contentType": "text/plain", "content": "{{Convert.ToBase64String(Advert)}}"}
            """)).Status);

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(Roles.Operator, HttpMethod.Get, $"/v1/cases/{id}/export")).Status);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/export");
        request.Headers.Authorization = new("Bearer", gateway.Keys[Roles.Auditor].Key);
        using var response = await gateway.Http.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        return (id, await response.Content.ReadAsByteArrayAsync(Cancel));
    }

    private static Dictionary<string, byte[]> Parts(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(entry => entry.FullName, entry =>
        {
            using var content = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(content);
            }

            return content.ToArray();
        });
    }

    private static byte[] Zip(Dictionary<string, byte[]> parts)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in parts)
            {
                using var stream = archive.CreateEntry(path).Open();
                stream.Write(content);
            }
        }

        return zip.ToArray();
    }

    private static JsonNode Json(Dictionary<string, byte[]> parts, string path) => JsonNode.Parse(parts[path])!;

    private string PublicKey => gateway.SigningKey.ExportSubjectPublicKeyInfoPem();

    private static EvidenceVerification Verify(byte[] zip, string? publicKey) => EvidenceVerifier.Verify(new MemoryStream(zip), publicKey);

    [Fact]
    public async Task An_export_holds_the_case_timelines_links_policy_text_files_and_history_and_verifies()
    {
        var (id, zip) = await ExportedCaseAsync("export-a");
        var parts = Parts(zip);

        var verification = Verify(zip, PublicKey);
        Assert.Empty(verification.Problems);
        Assert.Equal(EvidenceSigner.FingerprintOf(gateway.SigningKey), verification.Fingerprint);

        var manifest = Json(parts, EvidencePackage.ManifestName);
        Assert.Equal(id, (string?)manifest["case"]);
        Assert.Equal("auditor-key", (string?)manifest["exportedBy"]);
        Assert.Equal(parts.Count - 2, manifest["parts"]!.AsArray().Count); // all but the manifest and its signature

        var account = Json(parts, "accounts/0001-export-a.json");
        var ban = account["enforcement"]!.AsArray().Single()!;
        Assert.Equal(("ban", "operator-key", "advertises bulk sends"), ((string?)ban["action"], (string?)ban["by"], (string?)ban["note"]));
        Assert.Contains("device/export-a-phone", account["current"]!["links"]!.AsArray().Select(l => (string?)l!["entity"]));

        var links = Json(parts, "links.json")["accountLinks"]!.AsArray();
        Assert.Contains(links, l => (string?)l!["entity"] == "device/export-a-phone" && (bool)l["entityInCase"]!);
        Assert.True(parts.ContainsKey("entities/0001-device_export-a-phone.json"));

        var policy = Json(parts, "policies.json").AsArray().Single()!;
        Assert.Equal((string?)ban["policyVersion"], (string?)policy["version"]);
        Assert.Equal((string?)ban["policyVersion"], (string?)JsonNode.Parse(parts[(string)policy["path"]!])!["version"]);

        Assert.Equal(Advert, parts["evidence/0001-advert_txt"]);
        var item = Json(parts, "case.json")["evidence"]![0]!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Advert)), (string?)item["sha256"]);
        Assert.Equal("kept sending after the ban of Nov 1", (string?)Json(parts, "case.json")["notes"]![0]!["text"]);

        var history = Json(parts, "history.json")["entries"]!.AsArray().Select(e => ((string?)e!["action"], (string?)e["actor"])).ToList();
        Assert.Equal(("case.open", "operator-key"), history[0]);
        Assert.Equal(("case.export", "auditor-key"), history[^1]);
        Assert.Contains("no message content", Encoding.UTF8.GetString(parts["README.txt"]), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(PublicKey, Encoding.UTF8.GetString(parts[EvidencePackage.PublicKeyName]));
    }

    [Fact]
    public async Task A_tampered_part_a_tampered_manifest_a_missing_or_added_part_and_a_wrong_key_each_fail()
    {
        var (_, zip) = await ExportedCaseAsync("export-b");

        var part = Parts(zip);
        part["case.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(part["case.json"]).Replace("kept sending", "stopped sending", StringComparison.Ordinal));
        Assert.Equal(["case.json: does not match the manifest"], Verify(Zip(part), PublicKey).Problems.Select(p => p[..p.IndexOf(" (", StringComparison.Ordinal)]));

        var manifest = Parts(zip);
        var node = JsonNode.Parse(manifest[EvidencePackage.ManifestName])!;
        node["exportedBy"] = "someone-else";
        manifest[EvidencePackage.ManifestName] = Encoding.UTF8.GetBytes(node.ToJsonString());
        Assert.Equal([$"{EvidencePackage.SignatureName}: the signature does not match the manifest with this key"], Verify(Zip(manifest), PublicKey).Problems);

        var changed = Parts(zip);
        changed.Remove("evidence/0001-advert_txt");
        changed["evidence/0002-extra.txt"] = [1, 2, 3];
        Assert.Equal(["evidence/0001-advert_txt: missing", "evidence/0002-extra.txt: not in the manifest"], Verify(Zip(changed), PublicKey).Problems);

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongKey = Verify(zip, otherKey.ExportSubjectPublicKeyInfoPem()).Problems;
        Assert.Equal(2, wrongKey.Count);
        Assert.StartsWith("public key: its fingerprint", wrongKey[0], StringComparison.Ordinal);
        Assert.Equal($"{EvidencePackage.SignatureName}: the signature does not match the manifest with this key", wrongKey[1]);

        // A forger who replaces the key in the export and signs again is caught by the published key.
        var forged = Parts(zip);
        forged[EvidencePackage.PublicKeyName] = Encoding.UTF8.GetBytes(otherKey.ExportSubjectPublicKeyInfoPem());
        Assert.NotEmpty(Verify(Zip(forged), PublicKey).Problems);
    }

    [Fact]
    public async Task The_verify_command_answers_0_for_an_intact_export_and_1_with_what_failed_otherwise()
    {
        var (_, zip) = await ExportedCaseAsync("export-c");
        var file = Path.Combine(gateway.WorkDirectory, "export-c.zip");
        var keyFile = Path.Combine(gateway.WorkDirectory, "published.pem");
        await File.WriteAllBytesAsync(file, zip, Cancel);
        await File.WriteAllTextAsync(keyFile, PublicKey, Cancel);

        var (valid, output, _) = Run("evidence", "verify", file, "--public-key", keyFile);
        Assert.Equal(0, valid);
        Assert.Contains("valid", output, StringComparison.Ordinal);

        var (embedded, embeddedOutput, _) = Run("evidence", "verify", file);
        Assert.Equal(0, embedded);
        Assert.Contains("published", embeddedOutput, StringComparison.Ordinal);

        var parts = Parts(zip);
        parts["README.txt"] = [.. parts["README.txt"], (byte)'!'];
        await File.WriteAllBytesAsync(file, Zip(parts), Cancel);
        var (invalid, failure, _) = Run("evidence", "verify", file, "--public-key", keyFile);
        Assert.Equal(1, invalid);
        Assert.Contains("FAILED README.txt: does not match the manifest", failure, StringComparison.Ordinal);

        Assert.Equal(2, Run("evidence", "verify").ExitCode);
        Assert.Equal(2, Run("evidence", "verify", Path.Combine(gateway.WorkDirectory, "absent.zip")).ExitCode);
        Assert.Null(Run("serve").ExitCode);
    }

    private static (int? ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = EvidenceCommand.TryRun(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
