using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ReputationGrid.Api.Tests;

/// <summary>A request with an optional JSON body, read back as its status and parsed body (null when empty).</summary>
public static class JsonRequests
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendJsonAsync(
        this HttpClient http, HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
