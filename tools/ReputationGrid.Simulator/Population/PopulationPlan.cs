using ReputationGrid.Contracts;

namespace ReputationGrid.Simulator.Population;

/// <summary>What to simulate: who, for how long, from when, with which seed.</summary>
/// <param name="AccountPrefix">Every simulated id starts with it: change it to replay against a gateway that already holds a run.</param>
public sealed record PopulationSettings(int Accounts, TimeSpan Duration, DateTimeOffset Start, int Seed, string AccountPrefix = "sim")
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>
/// The simulated population: how many accounts of each kind, which index has which kind and id, and
/// each account's script. Scripts are generated on demand from the seed and the account's index alone,
/// so the same settings give the same traffic whatever order accounts are played in.
/// </summary>
public sealed class PopulationPlan
{
    /// <summary>Contacts are drawn mostly from the account's own community of this many neighbouring indexes.</summary>
    public const int CommunitySize = 64;

    public const int FarmSize = 25;

    /// <summary>Accounts of one <see cref="AccountKind.ReplyRing"/>, and the devices they share.</summary>
    public const int RingSize = 20, DevicesPerRing = 2;

    /// <summary>Fresh accounts of one <see cref="AccountKind.Campaign"/>.</summary>
    public const int CampaignSize = 50;

    /// <summary>People sharing one device, one office's network, one carrier prefix (honest accounts linked by their entities).</summary>
    public const int FamilySize = 4, OfficeSize = 25, CarrierSize = 500;

    /// <summary>Agents of one <see cref="AccountKind.SupportTeam"/>, and the devices they share (one per shift).</summary>
    public const int TeamSize = 8, DevicesPerTeam = 2;

    /// <summary>How many numbers one business of <see cref="AccountKind.BusinessManyNumbers"/> registers.</summary>
    public const int NumbersPerBusiness = 10;

    private readonly AccountKind[] _kinds;
    private readonly int[] _rankInKind;
    private readonly List<int>[] _byKind; // each kind's indexes, in rank order

    public PopulationPlan(PopulationSettings settings)
    {
        if (settings.Accounts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "At least one account is needed.");
        }

        if (!Identifiers.IsValid(settings.AccountPrefix) || settings.AccountPrefix.Length > 32)
        {
            throw new ArgumentException($"The account prefix must be 1 to 32 characters of {Identifiers.Rule}.", nameof(settings));
        }

        Settings = settings;
        var kinds = new List<AccountKind>(settings.Accounts);
        foreach (var info in AccountKinds.All.Where(k => k.Kind != AccountKind.Honest && !k.TakesOrdinaryPlaces))
        {
            kinds.AddRange(Enumerable.Repeat(info.Kind, (int)Math.Round(settings.Accounts * info.Share)));
        }

        if (kinds.Count > settings.Accounts)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "Too few accounts for the population's shares.");
        }

        kinds.AddRange(Enumerable.Repeat(AccountKind.Honest, settings.Accounts - kinds.Count));
        _kinds = [.. kinds];
        new Random(settings.Seed).Shuffle(_kinds); // communities mix kinds as a real population would
        var next = 0;
        foreach (var info in AccountKinds.All.Where(k => k.TakesOrdinaryPlaces))
        {
            for (var count = (int)Math.Round(settings.Accounts * info.Share); count > 0 && next < _kinds.Length; next++)
            {
                if (_kinds[next] == AccountKind.Honest)
                {
                    _kinds[next] = info.Kind;
                    count--;
                }
            }
        }
        _rankInKind = new int[_kinds.Length];
        _byKind = [.. AccountKinds.All.Select(_ => new List<int>())];
        for (var i = 0; i < _kinds.Length; i++)
        {
            var ofKind = _byKind[(int)_kinds[i]];
            _rankInKind[i] = ofKind.Count;
            ofKind.Add(i);
        }
    }

    public PopulationSettings Settings { get; }

    public int Count => _kinds.Length;

    public AccountKind KindOf(int index) => _kinds[index];

    public string IdOf(int index) => $"{Settings.AccountPrefix}-{index:D6}";

    /// <summary>Which farm an account-farm account belongs to (its device and network prefix).</summary>
    public int FarmOf(int index) => GroupOf(index, FarmSize);

    /// <summary>Which group of <paramref name="size"/> accounts of its kind an account belongs to (its shared device or network).</summary>
    public int GroupOf(int index, int size) => _rankInKind[index] / size;

    /// <summary>The ids of the other accounts in the group of <paramref name="size"/> accounts of its kind that <paramref name="index"/> belongs to.</summary>
    public string[] OthersInGroup(int index, int size)
    {
        var ofKind = _byKind[(int)_kinds[index]];
        var first = GroupOf(index, size) * size;
        return [.. ofKind.Skip(first).Take(size).Where(other => other != index).Select(IdOf)];
    }

    /// <summary>Which business a number of <see cref="AccountKind.BusinessManyNumbers"/> belongs to (its device and network prefix).</summary>
    public int BusinessOf(int index) => GroupOf(index, NumbersPerBusiness);

    /// <summary>A population account near <paramref name="index"/> (its community), or now and then anyone.</summary>
    public string ContactFor(int index, Random random)
    {
        if (random.Chance(0.25))
        {
            return IdOf(random.Next(Count));
        }

        var community = index / CommunitySize * CommunitySize;
        return IdOf(Math.Min(Count - 1, community + random.Next(CommunitySize)));
    }

    public AccountScript Script(int index)
    {
        var kind = KindOf(index);
        var random = Draw.ForAccount(Settings.Seed, index);
        var script = new ScriptBuilder(IdOf(index), kind, Settings.Start, (long)Settings.Duration.TotalMilliseconds);
        var account = new SimulatedAccount(this, index, script, random);
        var info = AccountKinds.Info(kind);
        if (info.BusinessTier is not null)
        {
            BusinessBehaviour.Play(account, kind);
        }
        else if (info.Honest)
        {
            HonestBehaviour.Play(account, kind);
        }
        else
        {
            AbuseBehaviour.Play(account, kind);
        }

        return script.Build();
    }
}

/// <summary>What a generator needs about the account it writes a script for.</summary>
public sealed class SimulatedAccount(PopulationPlan plan, int index, ScriptBuilder script, Random random)
{
    public PopulationPlan Plan => plan;

    public int Index => index;

    public ScriptBuilder Script => script;

    public Random Random => random;

    public string Id => script.Account;

    private int _unique;

    /// <summary>An id nobody else in the run uses: a stranger, a customer, a group of this account.</summary>
    public string NewId(string what) => $"{Id}-{what}{_unique++}";

    /// <summary>This account's contact book: people of its community, and a few from anywhere.</summary>
    public string[] Contacts(int count)
    {
        var contacts = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; contacts.Count < count && attempt < count * 4; attempt++)
        {
            var contact = plan.ContactFor(index, random);
            if (contact != Id)
            {
                contacts.Add(contact);
            }
        }

        return [.. contacts];
    }
}
