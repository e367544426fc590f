namespace ReputationGrid.Scoring;

/// <summary>The kind of phone network an account registered from.</summary>
public enum NetworkKind : byte
{
    Unknown = 0,
    Mobile = 1,
    Landline = 2,
    Voip = 3,
}

/// <summary>What the platform knew about an account when it registered.</summary>
public sealed record Registration(
    DateTimeOffset At,
    NetworkKind Network,
    bool Business,
    string? CountryCode,
    string? IpPrefix,
    string? DeviceId);
