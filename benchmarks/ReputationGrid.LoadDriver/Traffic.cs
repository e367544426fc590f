namespace ReputationGrid.LoadDriver;

/// <summary>What one request does: a send-time check or one of the other events a front-end reports.</summary>
internal enum OperationKind
{
    SendCheck,

    /// <summary>A recipient replied (<c>reply_received</c>).</summary>
    Reply,

    /// <summary>The account added a contact (<c>contact_added</c>).</summary>
    ContactAdded,

    /// <summary>A message delivered without a check (<c>message_sent</c>).</summary>
    MessageSent,
}

/// <summary>One request of the load: which account, what it does, and with whom.</summary>
internal readonly record struct Operation(int Account, OperationKind Kind, int Peer, bool PeerIsContact);

/// <summary>How requests spread over accounts.</summary>
internal enum KeyDistribution
{
    Uniform,

    /// <summary>Zipf-skewed: the account of rank k gets a share proportional to 1/k^s.</summary>
    Zipf,
}

/// <summary>
/// The ids of the accounts and their peers, built once so that every path sends exactly the same requests,
/// and the choice of the next request: which account (uniform or Zipf) and, for a mix, which kind.
/// </summary>
internal sealed class Traffic
{
    public const int PeerCount = 1_000;

    /// <summary>In the linked traffic, accounts registered on one device (a family's tablet).</summary>
    public const int AccountsPerDevice = 4;

    /// <summary>In the linked traffic, accounts registered behind one network prefix (a carrier's).</summary>
    public const int AccountsPerPrefix = 1_000;

    /// <summary>In the linked traffic, the forwarded contents every account sends: each keeps a link to all of them.</summary>
    public const int FingerprintCount = 8;

    private readonly double[]? _zipfCumulative;

    public Traffic(int accounts, double zipfExponent)
    {
        ZipfExponent = zipfExponent;
        Accounts = [.. Enumerable.Range(0, accounts).Select(i => $"bench-{i:D7}")];
        Peers = [.. Enumerable.Range(0, PeerCount).Select(i => $"peer-{i:D4}")];
        Fingerprints = [.. Enumerable.Range(0, FingerprintCount).Select(i => $"forwarded-{i}")];
        if (zipfExponent > 0)
        {
            _zipfCumulative = new double[accounts];
            double total = 0;
            for (var rank = 0; rank < accounts; rank++)
            {
                total += 1 / Math.Pow(rank + 1, zipfExponent);
                _zipfCumulative[rank] = total;
            }

            for (var rank = 0; rank < accounts; rank++)
            {
                _zipfCumulative[rank] /= total;
            }
        }
    }

    public string[] Accounts { get; }

    public string[] Peers { get; }

    public string[] Fingerprints { get; }

    /// <summary>The fingerprint a linked account's message to <paramref name="peer"/> carries.</summary>
    public string FingerprintFor(int peer) => Fingerprints[peer % FingerprintCount];

    /// <summary>The device a linked account registered on.</summary>
    public static string DeviceOf(int account) => $"device-{account / AccountsPerDevice:D6}";

    /// <summary>The network prefix a linked account registered behind.</summary>
    public static string PrefixOf(int account) => $"prefix-{account / AccountsPerPrefix:D4}";

    /// <summary>The exponent of the Zipf distribution; 0 when the traffic has none.</summary>
    public double ZipfExponent { get; }

    /// <summary>
    /// Draws that make an account's circle of correspondents: its hour of history before the runs makes each draw once
    /// (about 95 distinct peers), and the runs draw among them again, so the runs measure accounts whose structures
    /// hold their correspondents already instead of accounts still growing them.
    /// </summary>
    public const int CorrespondentDraws = 100;

    /// <summary>The peer that <paramref name="account"/>'s <paramref name="draw"/>-th correspondent is: a fixed pseudo-random choice.</summary>
    public static int CorrespondentOf(int account, int draw)
    {
        // SplitMix64's finaliser spreads neighbouring accounts and draws over every peer.
        var x = ((ulong)(uint)account << 32 | (uint)draw) + 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return (int)((x ^ (x >> 31)) % PeerCount);
    }

    /// <summary>A send-time check by <paramref name="account"/> to its <paramref name="draw"/>-th correspondent.</summary>
    public static Operation SendCheck(Random random, int account, int draw) =>
        new(account, OperationKind.SendCheck, CorrespondentOf(account, draw), PeerIsContact: random.Next(10) > 0); // nine in ten go to contacts

    /// <summary>The next request. <paramref name="checkShare"/> of them are send-time checks, the rest other events.</summary>
    public Operation Next(Random random, KeyDistribution distribution, double checkShare)
    {
        var account = distribution == KeyDistribution.Zipf ? ZipfAccount(random) : random.Next(Accounts.Length);
        var check = SendCheck(random, account, random.Next(CorrespondentDraws));
        if (checkShare >= 1 || random.NextDouble() < checkShare)
        {
            return check;
        }

        // The other events are the benign ones of ordinary traffic: replies, new contacts, unchecked sends.
        var kind = random.Next(10) switch
        {
            < 5 => OperationKind.Reply,
            < 7 => OperationKind.ContactAdded,
            _ => OperationKind.MessageSent,
        };
        return check with { Kind = kind };
    }

    private int ZipfAccount(Random random)
    {
        var cumulative = _zipfCumulative ?? throw new InvalidOperationException("Zipf traffic needs a positive exponent.");
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }
}
