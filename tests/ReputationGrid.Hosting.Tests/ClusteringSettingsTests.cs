using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using ReputationGrid.Clustering;

namespace ReputationGrid.Hosting.Tests;

/// <summary>Response timeouts and failure detection: tuned defaults, overridable, and checked when the silo is built.</summary>
public sealed class ClusteringSettingsTests
{
    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    [Fact]
    public void A_silo_gets_the_tuned_timeouts_and_failure_detection_unless_configured_otherwise()
    {
        var silo = new SiloBuilderStub();
        silo.UseReputationGridClustering(Configuration(new() { ["Clustering:Membership:NumVotesForDeathDeclaration"] = "1" }));
        using var services = silo.Services.BuildServiceProvider();

        var membership = services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(1), membership.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1.5), membership.MaxProbeTimeout);
        Assert.Equal(2, membership.NumMissedProbesLimit);
        Assert.Equal(1, membership.NumVotesForDeathDeclaration);
        Assert.Equal(TimeSpan.FromSeconds(10), membership.DeathVoteExpirationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), membership.TableRefreshTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), membership.IAmAliveTablePublishTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
    }

    [Theory]
    [InlineData("Clustering:Membership:NumMissedProbesLimit", "0", "Clustering:Membership:NumMissedProbesLimit and NumVotesForDeathDeclaration must be at least 1.")]
    [InlineData("Clustering:Membership:DeathVoteExpirationTimeout", "00:00:02", "Clustering:Membership:DeathVoteExpirationTimeout must be longer than MaxProbeTimeout × NumMissedProbesLimit.")]
    [InlineData("Clustering:Membership:MaxProbeTimeout", "00:00:00.500", "Clustering:Membership:MaxProbeTimeout must be at least ProbeTimeout.")]
    [InlineData("Clustering:Membership:TableRefreshTimeout", "00:00:00", "Clustering:Membership:ProbeTimeout, DeathVoteExpirationTimeout, TableRefreshTimeout and IAmAliveTablePublishTimeout must be positive.")]
    [InlineData("Clustering:ResponseTimeout", "-00:00:01", "Clustering:ResponseTimeout and Clustering:GatewayListRefreshPeriod must be positive.")]
    public void Wrong_timeouts_stop_the_silo_with_a_clear_message(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => new SiloBuilderStub().UseReputationGridClustering(Configuration(new() { [key] = value })));

        Assert.Equal([message], error.Failures);
    }
}
