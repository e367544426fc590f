namespace ReputationGrid.Scoring.Linking;

/// <summary>
/// The entities one account is linked to, each with the latest risk its entity pushed. Device and network links are
/// stored (in a state of their own, apart from the account's reputation); content links live in memory only. At most
/// <see cref="MaxLinksPerKind"/> of each kind are kept, the oldest leaving first. Not thread-safe.
/// </summary>
public sealed class AccountLinks
{
    public const int MaxLinksPerKind = 8;
    private const byte Format = 1;

    private static readonly List<AccountLink> NoLinks = []; // read by every account without links; never added to

    private List<AccountLink>? _ownLinks; // made by the first link: most accounts have none, and a list costs 32 bytes

    private List<AccountLink> Links => _ownLinks ?? NoLinks;

    public IReadOnlyList<AccountLink> All => Links;

    /// <summary>Whether a stored link was added since the links were last encoded.</summary>
    public bool StoredLinksChanged { get; private set; }

    /// <summary>Whether a link was added that its entity has not yet been told about.</summary>
    public bool HasUnreported { get; private set; }

    /// <summary>The flags last reported to every entity (none until the first report).</summary>
    public LinkedAccountFlags ReportedFlags { get; set; }

    /// <summary>The link to this entity, or null.</summary>
    public AccountLink? Find(EntityKind kind, string id)
    {
        foreach (var link in Links)
        {
            if (link.Kind == kind && string.Equals(link.Id, id, StringComparison.Ordinal))
            {
                return link;
            }
        }

        return null;
    }

    /// <summary>Links the account to an entity; a registration on it is reported to the entity once. True when the link is new.</summary>
    public bool Add(EntityKind kind, string id, DateTimeOffset at, bool registration = false)
    {
        if (Find(kind, id) is not null)
        {
            return false;
        }

        var ofKind = 0;
        var oldest = -1;
        for (var i = 0; i < Links.Count; i++)
        {
            if (Links[i].Kind == kind)
            {
                ofKind++;
                oldest = oldest < 0 ? i : oldest;
            }
        }

        var links = _ownLinks ??= [];
        if (ofKind >= MaxLinksPerKind)
        {
            links.RemoveAt(oldest);
        }

        links.Add(new AccountLink(kind, id, at, registration));
        StoredLinksChanged |= EntityKinds.IsStored(kind);
        HasUnreported = true;
        return true;
    }

    /// <summary>The links whose entity has not been told yet; they count as told from now on.</summary>
    public void TakeUnreported(List<AccountLink> into)
    {
        foreach (var link in Links)
        {
            if (!link.Reported)
            {
                link.Reported = true;
                into.Add(link);
            }
        }

        HasUnreported = false;
    }

    /// <summary>The strongest evidence among all linked entities.</summary>
    public EntityRisk Combined()
    {
        var combined = default(EntityRisk);
        foreach (var link in Links)
        {
            combined = combined.Max(link.Risk);
        }

        return combined;
    }

    /// <summary>
    /// Whether the account hashed <paramref name="account"/> is another member of a device or network this account is
    /// linked to, as the entities last told it: their replies show a closed ring, not engagement.
    /// </summary>
    public bool IsLinkedMember(ulong account)
    {
        foreach (var link in Links)
        {
            if (link.Members is { } members && Array.BinarySearch(members, account) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The stored links: device and network links with the time they were made.</summary>
    public byte[] Encode()
    {
        StoredLinksChanged = false;
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Format);
            var stored = 0;
            foreach (var link in Links)
            {
                stored += EntityKinds.IsStored(link.Kind) ? 1 : 0;
            }

            writer.Write7BitEncodedInt(stored);
            foreach (var link in Links)
            {
                if (EntityKinds.IsStored(link.Kind))
                {
                    writer.Write((byte)link.Kind);
                    writer.Write(link.Id);
                    writer.Write(EventTime.ToMs(link.Since));
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Links from their stored form (none when nothing is stored). Their entities were told when they were made, so
    /// they count as reported; their risk is unknown until their entities push it again.
    /// </summary>
    public static AccountLinks Decode(ReadOnlySpan<byte> encoded)
    {
        var links = new AccountLinks();
        if (encoded.IsEmpty)
        {
            return links;
        }

        using var reader = new BinaryReader(new MemoryStream(encoded.ToArray()));
        if (reader.ReadByte() != Format)
        {
            throw new InvalidDataException("Not an account links state of this format.");
        }

        var count = Math.Min(reader.Read7BitEncodedInt(), 2 * MaxLinksPerKind);
        for (var i = 0; i < count; i++)
        {
            var kind = (EntityKind)reader.ReadByte();
            var id = reader.ReadString();
            var since = EventTime.FromMs(reader.ReadInt64());
            (links._ownLinks ??= []).Add(new AccountLink(kind, id, since, registration: false) { Reported = true });
        }

        return links;
    }
}

/// <summary>One link of an account to an entity.</summary>
public sealed class AccountLink(EntityKind kind, string id, DateTimeOffset since, bool registration)
{
    public EntityKind Kind => kind;

    public string Id => id;

    /// <summary>The entity's key, <c>kind/id</c>.</summary>
    public string Key { get; } = EntityKinds.Key(kind, id);

    /// <summary>Who an operator action taken because of this entity is by: <c>entity:kind/id</c>.</summary>
    public string ActingAs => EntityActorPrefix + Key;

    private const string EntityActorPrefix = "entity:";

    /// <summary>Whether an operator action is one an entity handed down to its linked accounts.</summary>
    public static bool IsEntityActor(string by) => by.StartsWith(EntityActorPrefix, StringComparison.Ordinal);

    public DateTimeOffset Since => since;

    /// <summary>Whether the account registered on this entity (reported to the entity with the link).</summary>
    public bool Registration => registration;

    /// <summary>Whether the entity has been told about the link.</summary>
    public bool Reported { get; internal set; }

    /// <summary>The entity's latest risk, as it pushed it; none until it does.</summary>
    public EntityRisk Risk { get; set; }

    /// <summary>The hashed ids of the entity's accounts, sorted, as it last pushed them; null when it lists too many to tell.</summary>
    public ulong[]? Members { get; set; }
}
