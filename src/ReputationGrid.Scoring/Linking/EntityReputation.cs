using ReputationGrid.Scoring.Policy;
using ReputationGrid.Scoring.Sketches;
using ReputationGrid.Scoring.Windows;

namespace ReputationGrid.Scoring.Linking;

/// <summary>
/// One linked entity (a device, a network prefix, a content fingerprint) and the evidence of abuse among the accounts
/// linked to it. Bounded whatever the fan-in: the first <see cref="ListedAccountLimit"/> accounts are listed exactly with
/// their flags (the shares are over them, and they are the accounts the entity's risk is pushed to); every account is
/// counted in a distinct-count sketch; registrations are counted per hour over a rolling day. Deterministic on event time.
/// Not thread-safe; its owner (the entity grain) serialises access.
/// </summary>
public sealed class EntityReputation(EntityKind kind)
{
    public const int ListedAccountLimit = 2_000;
    public const int HistoryCapacity = 50;
    private const byte Format = 1;

    private readonly List<string> _listed = [];
    private readonly Dictionary<string, LinkedAccountFlags> _flags = new(StringComparer.Ordinal);
    private readonly List<EntityAction> _history = [];
    private DistinctCounter _accounts;
    private CounterRing<ushort> _registrations = new(TimeSpan.FromHours(1), 24, 1);
    private int _strangerSenders, _youngStrangerSenders, _actioned;
    private long _lastEventMs = long.MinValue;

    public EntityKind Kind => kind;

    /// <summary>Listed accounts, in the order they linked.</summary>
    public IReadOnlyList<string> ListedAccounts => _listed;

    /// <summary>Every account ever linked: exact while all are listed, then the sketch's estimate.</summary>
    public double LinkedAccounts => _listed.Count < ListedAccountLimit ? _listed.Count : Math.Max(_listed.Count, Math.Round(_accounts.Estimate()));

    /// <summary>The operator's ban, while it stands.</summary>
    public EntityAction? Ban { get; private set; }

    /// <summary>Operator actions on the entity, oldest first, at most <see cref="HistoryCapacity"/>.</summary>
    public IReadOnlyList<EntityAction> History => _history;

    /// <summary>The latest event time reported, or null before the first report.</summary>
    public DateTimeOffset? LastEventAt => _lastEventMs == long.MinValue ? null : EventTime.FromMs(_lastEventMs);

    /// <summary>The flags an account last reported, or null when it is not listed.</summary>
    public LinkedAccountFlags? FlagsOf(string account) => _flags.TryGetValue(account, out var flags) ? flags : null;

    /// <summary>
    /// Records what a linked account reported: its link (and whether it registered here) and its current flags.
    /// True when the account was newly listed, so it has not yet been told the entity's risk.
    /// </summary>
    public bool Report(string account, DateTimeOffset at, bool registration, LinkedAccountFlags flags)
    {
        var ms = EventTime.ToMs(at);
        _lastEventMs = Math.Max(_lastEventMs, ms);
        if (registration)
        {
            _registrations.Add(ms, 0);
        }

        _accounts.Add(IdHash.Of(account));
        if (_flags.TryGetValue(account, out var previous))
        {
            Count(previous, -1);
            _flags[account] = flags;
            Count(flags, 1);
            return false;
        }

        if (_listed.Count >= ListedAccountLimit)
        {
            return false;
        }

        _listed.Add(account);
        _flags.Add(account, flags);
        Count(flags, 1);
        return true;
    }

    /// <summary>What the entity's accounts show, measured at its latest event time.</summary>
    public EntityMeasure Measure()
    {
        var registrations = _lastEventMs == long.MinValue ? 0 : _registrations.Sum(_lastEventMs, 0, 24);
        return new EntityMeasure(LinkedAccounts, _listed.Count, registrations, _strangerSenders, _youngStrangerSenders, _actioned);
    }

    /// <summary>The entity's risk for its linked accounts under <paramref name="policy"/>: evidence of abuse, never the count alone.</summary>
    public EntityRisk Risk(ScoringPolicy policy)
    {
        var linking = policy.Linking;
        var measure = Measure();
        double listed = Math.Max(1, measure.Listed);
        var actionedShare = measure.Actioned >= linking.MinimumActioned ? measure.Actioned / listed : 0;
        var farmShare = kind != EntityKind.Content && measure.Registrations24h >= linking.MinimumRegistrations
            && measure.StrangerSenders >= linking.MinimumFarmSenders
            ? measure.StrangerSenders / listed
            : 0;
        var campaignSenders = kind == EntityKind.Content && measure.YoungStrangerSenders / listed >= linking.CampaignSenderShare
            ? measure.YoungStrangerSenders
            : 0;
        return new EntityRisk(Math.Round(actionedShare, 2), Math.Round(farmShare, 2), campaignSenders, Ban is not null);
    }

    /// <summary>
    /// The hashed ids of the listed accounts, sorted, for a device or network that lists from 2 to
    /// <see cref="LinkingPolicy.RingMaximumMembers"/> accounts, most of them registered on it within the day
    /// (<see cref="LinkingPolicy.RingRegisteredShare"/>); null otherwise. Its accounts tell replies from one another by them.
    /// </summary>
    public ulong[]? Members(LinkingPolicy linking)
    {
        if (!HasMembers(linking))
        {
            return null;
        }

        var members = new ulong[_listed.Count];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = IdHash.Of(_listed[i]);
        }

        Array.Sort(members);
        return members;
    }

    /// <summary>Whether the entity tells its accounts who its members are; see <see cref="Members"/>.</summary>
    public bool HasMembers(LinkingPolicy linking) =>
        kind != EntityKind.Content && _listed.Count >= 2 && _listed.Count <= linking.RingMaximumMembers
        && Measure().Registrations24h >= linking.RingRegisteredShare * _listed.Count;

    /// <summary>
    /// An operator bans the entity (every linked account, now and later) or clears it. A clear forgets which accounts
    /// were actioned, since the ban actioned them all: they report again when their own behaviour actions them.
    /// </summary>
    public void Apply(EntityAction action)
    {
        Ban = action.Banned ? action : null;
        if (!action.Banned)
        {
            foreach (var account in _listed)
            {
                var flags = _flags[account];
                Count(flags, -1);
                _flags[account] = flags & ~LinkedAccountFlags.Actioned;
                Count(_flags[account], 1);
            }
        }

        _history.Add(action);
        if (_history.Count > HistoryCapacity)
        {
            _history.RemoveAt(0);
        }
    }

    private void Count(LinkedAccountFlags flags, int delta)
    {
        _strangerSenders += (flags & LinkedAccountFlags.StrangerSender) != 0 ? delta : 0;
        _youngStrangerSenders += (flags & LinkedAccountFlags.YoungStrangerSender) != 0 ? delta : 0;
        _actioned += (flags & LinkedAccountFlags.Actioned) != 0 ? delta : 0;
    }

    /// <summary>The entity's state as stored: a format byte, then its parts.</summary>
    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Format);
            writer.Write((byte)kind);
            writer.Write(_lastEventMs);
            writer.Write7BitEncodedInt(_listed.Count);
            foreach (var account in _listed)
            {
                writer.Write(account);
                writer.Write((byte)_flags[account]);
            }

            _accounts.Write(writer);
            _registrations.Write(writer);
            writer.Write7BitEncodedInt(_history.Count);
            foreach (var action in _history)
            {
                writer.Write(action.Banned);
                writer.Write(EventTime.ToMs(action.At));
                writer.Write(action.By);
                writer.Write(action.Note);
            }
        }

        return stream.ToArray();
    }

    /// <summary>An entity from its stored state, or a new one when nothing is stored.</summary>
    public static EntityReputation Decode(EntityKind kind, ReadOnlySpan<byte> encoded)
    {
        var entity = new EntityReputation(kind);
        if (encoded.IsEmpty)
        {
            return entity;
        }

        using var reader = new BinaryReader(new MemoryStream(encoded.ToArray()));
        if (reader.ReadByte() != Format || (EntityKind)reader.ReadByte() != kind)
        {
            throw new InvalidDataException("Not an entity state of this format and kind.");
        }

        entity._lastEventMs = reader.ReadInt64();
        var listed = Math.Min(reader.Read7BitEncodedInt(), ListedAccountLimit);
        for (var i = 0; i < listed; i++)
        {
            var account = reader.ReadString();
            var flags = (LinkedAccountFlags)reader.ReadByte();
            entity._listed.Add(account);
            entity._flags.Add(account, flags);
            entity.Count(flags, 1);
        }

        entity._accounts.Read(reader);
        entity._registrations.Read(reader);
        var actions = Math.Min(reader.Read7BitEncodedInt(), HistoryCapacity);
        for (var i = 0; i < actions; i++)
        {
            var action = new EntityAction(reader.ReadBoolean(), EventTime.FromMs(reader.ReadInt64()), reader.ReadString(), reader.ReadString());
            entity._history.Add(action);
            entity.Ban = action.Banned ? action : null;
        }

        return entity;
    }
}

/// <summary>An operator's action on an entity: a ban (of every linked account, now and later) or a clear.</summary>
public sealed record EntityAction(bool Banned, DateTimeOffset At, string By, string Note);

/// <summary>What an entity's accounts show: the counts its risk is computed from.</summary>
public readonly record struct EntityMeasure(
    double LinkedAccounts, int Listed, long Registrations24h, int StrangerSenders, int YoungStrangerSenders, int Actioned);
