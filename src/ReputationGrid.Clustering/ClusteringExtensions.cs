using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace ReputationGrid.Clustering;

public static class ClusteringExtensions
{
    /// <summary>
    /// Configures the silo's membership, identity, endpoints and timeouts from section <c>Clustering</c>;
    /// <c>Clustering:Membership</c> sets failure detection (<see cref="MembershipOptions"/>, and any other key of Orleans'
    /// <see cref="ClusterMembershipOptions"/>).
    /// </summary>
    public static ISiloBuilder UseReputationGridClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = ClusteringOptionsValidator.Read(configuration);
        if (options.Is(ClusteringOptions.Localhost))
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        else if (options.Is(ClusteringOptions.AzureTable))
        {
            silo.UseAzureStorageClustering(table =>
            {
                table.TableServiceClient = AzureTableClients.Create(options.ConnectionString!);
                table.TableName = options.TableName;
            });
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new MembershipTableCreation(options));
        }
        else
        {
            silo.UseRedisClustering(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(options.ConnectionString!));
        }

        if (options.Kubernetes)
        {
            // Identity and address come from the pod (ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID, POD_IP); it
            // listens on every interface of the pod.
            silo.UseKubernetesHosting();
            silo.Configure<EndpointOptions>(endpoints =>
            {
                endpoints.SiloPort = options.SiloPort;
                endpoints.GatewayPort = options.GatewayPort;
            });
        }
        else
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, options.ListenOnAnyAddress);
        }

        // The tuned values first; any other key of Orleans' options in the section still binds.
        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(options.Membership.ApplyTo)
            .Bind(configuration.GetSection($"{ClusteringOptions.SectionName}:Membership"));
        silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
        return silo;
    }

    /// <summary>Configures an Orleans client (a gateway) to find the silos of the cluster in section <c>Clustering</c>.</summary>
    public static IClientBuilder UseReputationGridClustering(this IClientBuilder client, IConfiguration configuration)
    {
        var options = ClusteringOptionsValidator.Read(configuration);
        if (options.Is(ClusteringOptions.Localhost))
        {
            client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
        }
        else if (options.Is(ClusteringOptions.AzureTable))
        {
            client.UseAzureStorageClustering(table =>
            {
                table.TableServiceClient = AzureTableClients.Create(options.ConnectionString!);
                table.TableName = options.TableName;
            });
        }
        else
        {
            client.UseRedisClustering(redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(options.ConnectionString!));
        }

        if (!options.Is(ClusteringOptions.Localhost))
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
        }

        client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
        client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
        client.Services.AddSingleton<IClientConnectionRetryFilter, RetryConnectingToCluster>();
        return client;
    }
}

/// <summary>
/// Creates the membership table before Orleans' membership starts, waiting up to <see cref="ClusteringOptions.StartupTimeout"/>
/// for storage to answer: membership tries only once, so a silo started with its storage would otherwise fail.
/// </summary>
internal sealed class MembershipTableCreation(ClusteringOptions options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(MembershipTableCreation),
        ServiceLifecycleStage.RuntimeInitialize - 1, // before membership initialises its table
        cancellation => AzureTableClients.CreateTableWhenReachableAsync(options.ConnectionString!, options.TableName, options.StartupTimeout, cancellation));
}
