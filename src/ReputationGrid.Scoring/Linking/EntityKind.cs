namespace ReputationGrid.Scoring.Linking;

/// <summary>What links accounts together. The numeric values are stored: append new kinds, never renumber.</summary>
public enum EntityKind : byte
{
    /// <summary>A handset or client install, from <c>deviceId</c>.</summary>
    Device = 1,

    /// <summary>A network prefix, from <c>ipPrefix</c>.</summary>
    Network = 2,

    /// <summary>A content campaign, from the opaque <c>fingerprint</c> of a message.</summary>
    Content = 3,
}

public static class EntityKinds
{
    /// <summary>The name of the kind on the wire and in entity keys, e.g. <c>device</c>.</summary>
    public static string Name(EntityKind kind) => kind switch
    {
        EntityKind.Device => "device",
        EntityKind.Network => "network",
        EntityKind.Content => "content",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entity kind."),
    };

    /// <summary>The kind with this wire name.</summary>
    public static bool TryParse(string name, out EntityKind kind)
    {
        foreach (var candidate in Enum.GetValues<EntityKind>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>The key of one entity, <c>kind/id</c>: its grain key, and what operators and histories call it.</summary>
    public static string Key(EntityKind kind, string id) => $"{Name(kind)}/{id}";

    /// <summary>Device and network links are kept with the account; content links are short-lived campaign evidence.</summary>
    public static bool IsStored(EntityKind kind) => kind != EntityKind.Content;
}

/// <summary>
/// What a linked account tells its entities about itself: the evidence of abuse an entity aggregates. Only listed
/// accounts' flags are counted, so an entity's shares are over the accounts it lists.
/// </summary>
[Flags]
public enum LinkedAccountFlags : byte
{
    None = 0,

    /// <summary>Sends enough, mostly to strangers who do not reply (below any per-account threshold or not).</summary>
    StrangerSender = 1,

    /// <summary>A stranger sender that is still young.</summary>
    YoungStrangerSender = 2,

    /// <summary>Suspended or banned, automatically or by an operator acting on the account (not by an entity's ban).</summary>
    Actioned = 4,
}
