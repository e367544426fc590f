using System.Net.Http.Headers;
using System.Text;

namespace ReputationGrid.Trainer;

/// <summary>Installs a trained policy as a running service's shadow candidate (<c>PUT /v1/policy/shadow</c>, role admin).</summary>
public static class ShadowInstall
{
    /// <summary>Null when the service took the candidate, else what it answered.</summary>
    public static async Task<string?> PutAsync(Uri gateway, string? apiKey, string policyDocument, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var content = new StringContent(policyDocument, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync("/v1/policy/shadow", content, cancellationToken);
        return response.IsSuccessStatusCode
            ? null
            : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
    }
}
