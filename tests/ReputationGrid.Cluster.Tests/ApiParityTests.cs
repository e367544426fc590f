using Grpc.Net.Client;
using ReputationGrid.Testing.Apis;

namespace ReputationGrid.Cluster.Tests;

/// <summary>Front-ends may call any gateway over either API: the decisions and the account they act on are the same.</summary>
public sealed class ApiParityTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<string[]> HistoryAsync(GatewayClient gateway, string account) =>
        [.. (await gateway.GetAccountAsync(account, Cancel)).GetProperty("history").EnumerateArray().Select(entry => entry.GetProperty("action").GetString()!)];

    [Fact]
    public async Task Two_gateways_give_the_same_decisions_over_grpc_and_http_and_share_the_accounts()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, gateways: 2);
        using var grpc = GrpcChannel.ForAddress(cluster.Gateways[0].GrpcAddress);
        using var http = new HttpClient { BaseAddress = cluster.Gateways[1].BaseAddress };
        using var otherGateway = new GatewayClient(cluster.Gateways[1].BaseAddress);

        var overGrpc = await BurstOverApis.OverGrpcAsync(grpc, "burst-over-grpc", Cancel);
        var overHttp = await BurstOverApis.OverHttpAsync(http, "burst-over-http", Cancel);

        // The account driven through the first gateway, reviewed through the second.
        var grpcHistory = await HistoryAsync(otherGateway, "burst-over-grpc");
        var httpHistory = await HistoryAsync(otherGateway, "burst-over-http");

        Assert.Equal(overHttp, overGrpc);
        Assert.NotEqual("allow", overGrpc[^1].Action);
        Assert.NotEmpty(grpcHistory);
        Assert.Equal(httpHistory, grpcHistory);
        Assert.Equal(overGrpc[^1].Action, grpcHistory[^1]);
    }
}
