namespace ReputationGrid.Host;

/// <summary>The single-machine cluster of the embedded host (configuration section <c>Clustering</c>).</summary>
public sealed class LocalClusterOptions
{
    public const string SectionName = "Clustering";

    public string ClusterId { get; set; } = "reputationgrid-local";

    public string ServiceId { get; set; } = "reputationgrid";

    /// <summary>Port for silo-to-silo traffic on 127.0.0.1.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port where Orleans clients connect on 127.0.0.1.</summary>
    public int GatewayPort { get; set; } = 30000;
}
