using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ReputationGrid.Clustering;

/// <summary>How silos find each other and clients find silos (configuration section <c>Clustering</c>).</summary>
public sealed class ClusteringOptions
{
    public const string SectionName = "Clustering";
    public const string Localhost = "localhost";
    public const string Redis = "redis";
    public const string AzureTable = "azuretable";

    /// <summary>
    /// <c>localhost</c>: one silo, or silos on one machine that know the first silo's port (the embedded default).
    /// <c>redis</c>: membership in Redis at <see cref="ConnectionString"/>, for any number of silos and gateways.
    /// <c>azuretable</c>: membership in Azure Table storage (or Azurite) at <see cref="ConnectionString"/>, table
    /// <see cref="TableName"/>, so that a cluster whose accounts are stored there needs no other service.
    /// </summary>
    public string Provider { get; set; } = Localhost;

    /// <summary>The Redis configuration string (for example <c>127.0.0.1:6379</c>) for <c>redis</c>; the Azure Storage connection string for <c>azuretable</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The membership table, for <c>azuretable</c>.</summary>
    public string TableName { get; set; } = "ReputationGridMembership";

    /// <summary>How long a starting silo waits for <c>azuretable</c> storage to answer before it gives up.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Identifies one deployment of the cluster; silos and gateways must agree on it.</summary>
    public string ClusterId { get; set; } = "reputationgrid-local";

    /// <summary>Identifies the service across deployments; durable state is keyed by it, so keep it fixed.</summary>
    public string ServiceId { get; set; } = "reputationgrid";

    /// <summary>This silo's port for silo-to-silo traffic.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>This silo's port for Orleans clients (gateways).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address this silo tells others to reach it at; under Kubernetes the pod's IP is used instead.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Whether the silo's ports listen on every interface (containers) rather than only the advertised address.</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>Under Kubernetes: take identity and address from the pod and remove the membership of deleted pods.</summary>
    public bool Kubernetes { get; set; }

    /// <summary>
    /// How long a call waits for an answer before failing, on silos and gateways; a call caught on a silo that died
    /// waits this long. Short: a send-time check that fails fast can be retried or failed open by the front-end.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How often a gateway refreshes its list of silo gateways: new silos get traffic, and a silo declared dead whose
    /// link is cut (its connection stays open) stops getting it, after at most this.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How silos detect a dead silo (section <c>Clustering:Membership</c>).</summary>
    public MembershipOptions Membership { get; set; } = new();

    public static IReadOnlyList<string> Providers { get; } = [Localhost, Redis, AzureTable];

    public bool Is(string provider) => string.Equals(Provider, provider, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// How silos detect a dead silo, for a send-time service: a silo that misses <see cref="NumMissedProbesLimit"/> probes
/// of <see cref="ProbeTimeout"/> each is suspected, and declared dead once <see cref="NumVotesForDeathDeclaration"/>
/// silos suspect it, though no silo votes while it still receives messages from the suspect (for
/// <see cref="MaxProbeTimeout"/> × <see cref="NumMissedProbesLimit"/>, 3 s); every silo reads the membership table at
/// least every <see cref="TableRefreshTimeout"/>. With the defaults a killed or cut-off silo is declared dead within
/// seconds (Orleans' own defaults take 10 to 15 s or more), at the cost of a probe per silo per second. Applied to
/// Orleans' <see cref="ClusterMembershipOptions"/>.
/// </summary>
public sealed class MembershipOptions
{
    /// <summary>How long a probe of another silo may take before it counts as missed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest a probe may wait once Orleans has stretched its timeout to the response times it observed. A silo
    /// that received any message from another within this × <see cref="NumMissedProbesLimit"/> does not vote it dead,
    /// so this also bounds how long a silo cut off under load stays alive (Orleans' default, 4 × ProbeTimeout, gave 8 s).
    /// </summary>
    public TimeSpan MaxProbeTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How many probes in a row a silo may miss before a prober votes it dead.</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>How many silos must vote a silo dead (fewer when fewer silos are alive): more than one, so one silo's bad link kills no other.</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How long a vote counts: votes older than this are ignored.</summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each silo reads the membership table, so that it learns of deaths it did not vote for.</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often each silo writes that it is alive, which tells gateways and starting silos which silos are stale.</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public void ApplyTo(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = ProbeTimeout;
        membership.MaxProbeTimeout = MaxProbeTimeout;
        membership.NumMissedProbesLimit = NumMissedProbesLimit;
        membership.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        membership.DeathVoteExpirationTimeout = DeathVoteExpirationTimeout;
        membership.TableRefreshTimeout = TableRefreshTimeout;
        membership.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
    }

    internal IEnumerable<string> Validate()
    {
        if (ProbeTimeout <= TimeSpan.Zero || DeathVoteExpirationTimeout <= TimeSpan.Zero || TableRefreshTimeout <= TimeSpan.Zero || IAmAliveTablePublishTimeout <= TimeSpan.Zero)
        {
            yield return "Clustering:Membership:ProbeTimeout, DeathVoteExpirationTimeout, TableRefreshTimeout and IAmAliveTablePublishTimeout must be positive.";
        }

        if (NumMissedProbesLimit < 1 || NumVotesForDeathDeclaration < 1)
        {
            yield return "Clustering:Membership:NumMissedProbesLimit and NumVotesForDeathDeclaration must be at least 1.";
        }

        // Orleans starts probes at ProbeTimeout and never stretches them past MaxProbeTimeout.
        if (MaxProbeTimeout < ProbeTimeout)
        {
            yield return "Clustering:Membership:MaxProbeTimeout must be at least ProbeTimeout.";
        }

        // Votes must outlive the probes that cast them, or a dead silo's votes expire before enough are cast.
        if (MaxProbeTimeout * NumMissedProbesLimit >= DeathVoteExpirationTimeout)
        {
            yield return "Clustering:Membership:DeathVoteExpirationTimeout must be longer than MaxProbeTimeout × NumMissedProbesLimit.";
        }
    }
}

internal sealed class ClusteringOptionsValidator : IValidateOptions<ClusteringOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusteringOptions options)
    {
        var failures = new List<string>();
        if (!ClusteringOptions.Providers.Any(options.Is))
        {
            failures.Add($"Clustering:Provider '{options.Provider}' is not one of: {string.Join(", ", ClusteringOptions.Providers)}.");
        }

        if (!options.Is(ClusteringOptions.Localhost) && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"Clustering:ConnectionString is required when Clustering:Provider is {options.Provider.ToLowerInvariant()}.");
        }

        if (options.StartupTimeout <= TimeSpan.Zero)
        {
            failures.Add("Clustering:StartupTimeout must be a positive duration.");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId) || string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add("Clustering:ClusterId and Clustering:ServiceId must not be empty.");
        }

        if (options.SiloPort is < 1 or > 65535 || options.GatewayPort is < 1 or > 65535)
        {
            failures.Add("Clustering:SiloPort and Clustering:GatewayPort must be between 1 and 65535.");
        }

        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"Clustering:AdvertisedAddress '{options.AdvertisedAddress}' is not an IP address.");
        }

        if (options.ResponseTimeout <= TimeSpan.Zero || options.GatewayListRefreshPeriod <= TimeSpan.Zero)
        {
            failures.Add("Clustering:ResponseTimeout and Clustering:GatewayListRefreshPeriod must be positive.");
        }

        failures.AddRange(options.Membership.Validate());

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    /// <summary>Reads and checks the section now: it decides what the builder registers.</summary>
    public static ClusteringOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(ClusteringOptions.SectionName).Get<ClusteringOptions>() ?? new ClusteringOptions();
        return new ClusteringOptionsValidator().Validate(null, options) is { Failed: true } invalid
            ? throw new OptionsValidationException(ClusteringOptions.SectionName, typeof(ClusteringOptions), invalid.Failures)
            : options;
    }
}
