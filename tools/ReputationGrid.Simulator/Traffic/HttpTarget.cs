using System.Net;
using System.Text.Json;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;

namespace ReputationGrid.Simulator.Traffic;

/// <summary>
/// Sends the traffic through a running gateway's HTTP API (README "HTTP API"): events in batches to
/// <c>POST /v1/events</c> and send checks to <c>POST /v1/decisions/send</c>, each with its simulated
/// <c>at</c>; history from <c>GET /v1/accounts/{id}</c>. A 429 or 503 is retried after its Retry-After.
/// </summary>
public sealed class HttpTarget : ITrafficTarget
{
    private const int MaxEventsPerRequest = 1000;
    private const int Attempts = 5;

    private static readonly Dictionary<string, EnforcementAction> Actions =
        Enum.GetValues<EnforcementAction>().ToDictionary(EnforcementActions.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, ReasonCode> Reasons =
        Enum.GetValues<ReasonCode>().ToDictionary(ReasonCodes.Name, StringComparer.Ordinal);

    private readonly HttpClient _http;
    private readonly Func<CancellationToken, Task>? _settle;

    /// <param name="apiKey">Sent as <c>Authorization: Bearer</c> when the gateway requires authentication; its role must
    /// admit sending and reading accounts (admin).</param>
    /// <param name="settle">Waits until the gateway's silos have told entities and accounts all they queued, for a gateway
    /// in this process whose silos send reports on demand; without it the silos send them on their own timer.</param>
    public HttpTarget(Uri baseAddress, string? apiKey = null, Func<CancellationToken, Task>? settle = null)
    {
        _settle = settle;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseAddress };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        Description = $"HTTP gateway at {baseAddress}";
    }

    public string Description { get; }

    public async Task RecordAsync(string account, IReadOnlyList<AccountEvent> events, CancellationToken cancellationToken)
    {
        foreach (var chunk in events.Chunk(MaxEventsPerRequest))
        {
            var body = Json(writer =>
            {
                writer.WriteStartArray("events");
                foreach (var accountEvent in chunk)
                {
                    ApiJson.WriteEvent(writer, account, accountEvent);
                }

                writer.WriteEndArray();
            });
            using var answer = await PostAsync("v1/events", body, cancellationToken);
            var rejected = answer.RootElement.GetProperty("rejected");
            if (rejected.GetArrayLength() > 0)
            {
                throw new InvalidOperationException($"The gateway did not record an event of {account}: {rejected[0]}");
            }
        }
    }

    public async Task<SendDecision> CheckSendAsync(string account, DateTimeOffset at, MessageDetails message, CancellationToken cancellationToken)
    {
        var body = Json(writer => ApiJson.WriteSendCheck(writer, account, at, message));
        using var answer = await PostAsync("v1/decisions/send", body, cancellationToken);
        var root = answer.RootElement;
        return new SendDecision(
            Actions[root.GetProperty("action").GetString()!],
            root.GetProperty("score").GetDouble(),
            ReadReasons(root),
            root.TryGetProperty("retryAfterSeconds", out var retry) ? retry.GetInt32() : null,
            root.TryGetProperty("until", out var until) ? until.GetDateTimeOffset() : null,
            root.GetProperty("policyVersion").GetString()!);
    }

    public Task SettleAsync(CancellationToken cancellationToken) => _settle?.Invoke(cancellationToken) ?? Task.CompletedTask;

    public async Task<AccountEnd> ReviewAsync(string account, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/accounts/{Uri.EscapeDataString(account)}"), cancellationToken);
        var view = answer.RootElement;
        AccountHistoryEntry[] history = [.. view.GetProperty("history").EnumerateArray().Select(entry => new AccountHistoryEntry(
            entry.GetProperty("at").GetDateTimeOffset(),
            Actions[entry.GetProperty("action").GetString()!],
            ReadReasons(entry),
            entry.GetProperty("by").GetString()!,
            entry.TryGetProperty("note", out var note) ? note.GetString() : null))];
        if (!view.TryGetProperty("business", out var business))
        {
            return new AccountEnd(history);
        }

        return new AccountEnd(history, business.GetProperty("tier").GetInt32(), business.TryGetProperty("limit", out var limit) ? limit.GetInt32() : null);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<JsonDocument> PostAsync(string path, byte[] body, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } } }, cancellationToken);

    private async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            using var response = await _http.SendAsync(message, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            }

            var overloaded = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
            if (!overloaded || attempt == Attempts)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException($"{message.Method} {message.RequestUri} answered {(int)response.StatusCode}: {problem}", null, response.StatusCode);
            }

            // The gateway asks to come back later: wait as long as it says, as a front-end would.
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static ReasonCode[] ReadReasons(JsonElement element) =>
        [.. element.GetProperty("reasons").EnumerateArray().Select(reason => Reasons[reason.GetString()!])];
}
