using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReputationGrid.Testing.Servers;

namespace ReputationGrid.Api.Tests;

/// <summary>The embedded host with its accounts in Azure Table storage on an Azurite of its own.</summary>
public sealed class AzureTableGatewayFixture : GatewayFixture
{
    public AzuriteServer Storage { get; } = new();

    protected override IEnumerable<string> ExtraArguments() =>
        ["--Storage:Provider", "azuretable", "--Storage:ConnectionString", Storage.ConnectionString];

    public override async ValueTask InitializeAsync()
    {
        await Storage.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Storage.DisposeAsync();
    }
}

/// <summary>When storage is down the API says so (503, Retry-After, problem details); it never makes up a decision.</summary>
public sealed class StorageOutageTests(AzureTableGatewayFixture gateway) : IClassFixture<AzureTableGatewayFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> CheckSendAsync(string account) =>
        gateway.Http.PostAsJsonAsync("/v1/decisions/send", new { account, recipient = "friend", recipientIsContact = true }, Cancel);

    [Fact]
    public async Task A_decision_for_an_account_that_cannot_be_read_is_503_with_retry_after_until_storage_returns()
    {
        Assert.Equal(HttpStatusCode.OK, (await CheckSendAsync("known-before")).StatusCode);

        await gateway.Storage.StopAsync();
        HttpResponseMessage during;
        try
        {
            during = await CheckSendAsync("first-seen-during-outage");
        }
        finally
        {
            await gateway.Storage.StartAsync(Cancel);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(during.Headers.RetryAfter);
        var problem = await during.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.False(problem.TryGetProperty("action", out _));

        var after = await CheckSendAsync("first-seen-during-outage");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("allow", (await after.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("action").GetString());
    }
}
