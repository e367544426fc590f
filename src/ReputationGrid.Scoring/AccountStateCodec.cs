using System.Text;
using ReputationGrid.Scoring.Enforcement;

namespace ReputationGrid.Scoring;

/// <summary>
/// Every format account state was ever stored in; the value is the version byte a stored state begins with.
/// A change to the stored bytes adds a format here, and every older format is still read.
/// </summary>
public enum StateFormat : byte
{
    /// <summary>
    /// Group counters shared one minute ring with attempts and forwards. Read by splitting that ring into the
    /// minute ring and the group ring of <see cref="GroupRing"/>; everything else is as in <see cref="GroupRing"/>.
    /// </summary>
    SharedMinuteRing = 1,

    /// <summary>Group counters in a ring of their own, which the many accounts without group activity never allocate.</summary>
    GroupRing = 2,

    /// <summary>As <see cref="GroupRing"/>, with the times of the latest passed and failed challenge after the behaviour and the time the challenge in force was first shown after the enforcement.</summary>
    ChallengeOutcomes = 3,

    /// <summary>
    /// As <see cref="ChallengeOutcomes"/>, with feedback kept per distinct person with their standing, the members of a
    /// day's recipients past the exact set, and the account's re-registrations after the behaviour.
    /// </summary>
    DistinctReporters = 5,

    /// <summary>
    /// As <see cref="DistinctReporters"/>, with the business part after the re-registrations: whether the account has
    /// one, then its tier, verification, rating, clocks, conversation and quality counts and the people it knows.
    /// Business accounts stored in older formats start at tier 1 with nothing counted.
    /// </summary>
    BusinessTrack = 6,

    /// <summary>
    /// As <see cref="BusinessTrack"/>, with the day's replies from accounts linked on the same device or network after the
    /// business part. Older formats have none: every reply they stored counted as engagement.
    /// </summary>
    RingReplies = 7,

    /// <summary>
    /// As <see cref="RingReplies"/>, with the recipients new to the day (forwards left out) per 5 minutes of the last 2 hours
    /// after the ring replies. Older formats have none: they read as an account that started messaging nobody in those hours.
    /// </summary>
    FirstContacts = 8,
}

/// <summary>
/// Account state to bytes and back: the format written, the formats still read, and the codes stored for enforcement
/// actions and operator commands. Each component writes its part in <see cref="Current"/> and reads its part of
/// whichever format it is told the state is in, bringing an older one to its current shape.
/// </summary>
public static class AccountStateCodec
{
    /// <summary>The format every state is written in.</summary>
    public const StateFormat Current = StateFormat.FirstContacts;

    private const int EncodeBufferBytes = 4096;
    private const int MaxKeptEncodeBufferBytes = 64 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true); // BinaryWriter's default

    [ThreadStatic]
    private static MemoryStream? t_encodeBuffer;

    /// <summary>The formats a stored state may be in, oldest first; the last is <see cref="Current"/>.</summary>
    public static IReadOnlyList<StateFormat> Readable { get; } = Enum.GetValues<StateFormat>();

    public static byte[] Encode(AccountReputation account)
    {
        // Written into a buffer each thread keeps, so that only the result is allocated: a stream grown from empty
        // for every write allocated three to four times the state.
        var buffer = t_encodeBuffer ??= new MemoryStream(EncodeBufferBytes);
        buffer.SetLength(0);
        using (var writer = new BinaryWriter(buffer, Utf8, leaveOpen: true))
        {
            writer.Write((byte)Current);
            account.Behaviour.Write(writer);
            account.Enforcement.Write(writer);
        }

        var encoded = buffer.ToArray();
        if (buffer.Capacity > MaxKeptEncodeBufferBytes)
        {
            t_encodeBuffer = null; // a rare outsized state is not held by the thread afterwards
        }

        return encoded;
    }

    /// <summary>Reads a state stored in any readable format; nothing stored is a new account. Throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static AccountReputation Decode(ReadOnlySpan<byte> encoded)
    {
        var account = new AccountReputation();
        if (encoded.IsEmpty)
        {
            return account;
        }

        using var buffer = new MemoryStream(encoded.ToArray(), writable: false);
        using var reader = new BinaryReader(buffer);
        try
        {
            var format = ReadFormat(reader);
            account.Behaviour.Read(reader, format);
            account.Enforcement.Read(reader, format);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Account state is truncated.", e);
        }

        if (buffer.Position != buffer.Length)
        {
            throw new InvalidDataException($"Account state has {buffer.Length - buffer.Position} unexpected trailing bytes.");
        }

        return account;
    }

    private static StateFormat ReadFormat(BinaryReader reader)
    {
        var version = reader.ReadByte();
        return Enum.IsDefined((StateFormat)version)
            ? (StateFormat)version
            : throw new InvalidDataException($"Account state format {version} is not known to this version (it reads {string.Join(", ", Readable.Select(f => (byte)f))}).");
    }

    // The stored code of each action and command is written out, so that reordering or adding enum members can never
    // change what a stored state means. A code, once stored, keeps its meaning: add codes, never reuse one.

    internal static byte CodeOf(EnforcementAction action) => action switch
    {
        EnforcementAction.Allow => 0,
        EnforcementAction.Throttle => 1,
        EnforcementAction.Challenge => 2,
        EnforcementAction.Suspend => 3,
        EnforcementAction.Ban => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Enforcement action without a stored code."),
    };

    internal static EnforcementAction ActionOf(byte code) => code switch
    {
        0 => EnforcementAction.Allow,
        1 => EnforcementAction.Throttle,
        2 => EnforcementAction.Challenge,
        3 => EnforcementAction.Suspend,
        4 => EnforcementAction.Ban,
        _ => throw new InvalidDataException($"Unknown enforcement action {code}."),
    };

    internal static byte CodeOf(OperatorCommand command) => command switch
    {
        OperatorCommand.Ban => 1,
        OperatorCommand.Suspend => 2,
        OperatorCommand.Clear => 3,
        OperatorCommand.Allowlist => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Operator command without a stored code."),
    };

    internal static OperatorCommand CommandOf(byte code) => code switch
    {
        1 => OperatorCommand.Ban,
        2 => OperatorCommand.Suspend,
        3 => OperatorCommand.Clear,
        4 => OperatorCommand.Allowlist,
        _ => throw new InvalidDataException($"Unknown operator command {code}."),
    };
}
