using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using ReputationGrid.Api.Grpc.V1;

namespace ReputationGrid.Testing.Apis;

/// <summary>A decision reduced to what both APIs must agree on.</summary>
public readonly record struct DecisionSummary(string Action, double Score, string Reasons);

/// <summary>
/// One event stream, a new account that registers on a VoIP number and then bursts to strangers, sent over
/// the HTTP API or over the gRPC API, so that tests can assert both APIs decide alike.
/// </summary>
public static class BurstOverApis
{
    public const int Sends = 60;

    // Recent, because gateways refuse behavioural events older than Gateway:MaxPastSkew (two days).
    private static readonly DateTimeOffset T0 = new(DateTimeOffset.UtcNow.AddHours(-1).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static string At(double seconds) => T0.AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Send(int i) => At(60 + (0.2 * i));

    public static async Task<IReadOnlyList<DecisionSummary>> OverGrpcAsync(GrpcChannel channel, string account, CancellationToken cancellationToken)
    {
        var client = new Reputation.ReputationClient(channel);
        await client.RecordEventsAsync(
            new RecordEventsRequest { Events = { new Event { Type = "account_registered", Account = account, Network = "voip", At = At(0) } } },
            cancellationToken: cancellationToken);
        var decisions = new List<DecisionSummary>();
        for (var i = 0; i < Sends; i++)
        {
            var decision = await client.CheckSendAsync(
                new CheckSendRequest { Account = account, Recipient = $"stranger-{i}", RecipientIsContact = false, Typed = false, At = Send(i) },
                cancellationToken: cancellationToken);
            decisions.Add(new(decision.Action, decision.Score, string.Join(',', decision.Reasons)));
        }

        return decisions;
    }

    public static async Task<IReadOnlyList<DecisionSummary>> OverHttpAsync(HttpClient http, string account, CancellationToken cancellationToken)
    {
        using (var registered = await http.PostAsJsonAsync(
            "/v1/events", new { events = new[] { new { type = "account_registered", account, network = "voip", at = At(0) } } }, cancellationToken))
        {
            registered.EnsureSuccessStatusCode();
        }

        var decisions = new List<DecisionSummary>();
        for (var i = 0; i < Sends; i++)
        {
            using var response = await http.PostAsJsonAsync(
                "/v1/decisions/send", new { account, recipient = $"stranger-{i}", recipientIsContact = false, typed = false, at = Send(i) }, cancellationToken);
            response.EnsureSuccessStatusCode();
            var decision = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            decisions.Add(new(
                decision.GetProperty("action").GetString()!,
                decision.GetProperty("score").GetDouble(),
                string.Join(',', decision.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetString()))));
        }

        return decisions;
    }
}
