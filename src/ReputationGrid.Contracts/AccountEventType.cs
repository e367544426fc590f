using ReputationGrid.Contracts.Fields;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Linking;

namespace ReputationGrid.Contracts;

/// <summary>
/// One event type, whole: its wire name, its fields and their rules, how validated fields become the contract
/// event, and how the event reaches the scoring core. Every type is made once, in <see cref="AccountEventTypes"/>.
/// </summary>
public abstract class AccountEventType(string name, Type eventType, string? note, bool anyPastDate)
{
    /// <summary>The <c>type</c> of the event on the wire and its tag in metrics.</summary>
    public string Name => name;

    /// <summary>The contract record of the event.</summary>
    public Type EventType => eventType;

    /// <summary>What the docs add about the event, e.g. whose account <c>account</c> is.</summary>
    public string? Note => note;

    /// <summary>
    /// Whether the event may carry any real past date, so that a platform can onboard its existing accounts with their
    /// true age and address books. Every other event is behaviour: never dated before the account's registration.
    /// </summary>
    public bool AnyPastDate => anyPastDate;

    /// <summary>The event's own fields (beside <see cref="EnvelopeFields"/>), in the order they are read.</summary>
    public abstract IReadOnlyList<Field> Fields { get; }

    /// <summary>The event read from the source; if the source then holds an error, the event is incomplete and must be dropped.</summary>
    public abstract AccountEvent Read(IFieldSource source, DateTimeOffset at);

    /// <summary>Writes the event's own fields, in the shape <see cref="Read"/> takes.</summary>
    public abstract void Write(AccountEvent accountEvent, IFieldWriter writer);

    /// <summary>The person whose report or block the event is, whose standing weighs it; null for any other event.</summary>
    public abstract string? FeedbackFrom(AccountEvent accountEvent);

    /// <summary>Records the event in the account's behaviour; <paramref name="from"/> is the standing of <see cref="FeedbackFrom"/>.</summary>
    public abstract void Record(AccountReputation account, AccountEvent accountEvent, ReporterStanding from);

    /// <summary>Links the account to the entities the event names (a device, a network, a content fingerprint).</summary>
    public abstract void Link(AccountLinks links, AccountEvent accountEvent);
}

/// <inheritdoc />
public sealed class AccountEventType<TEvent> : AccountEventType
    where TEvent : AccountEvent
{
    private readonly FieldList<TEvent> _fields;
    private readonly Func<IFieldSource, DateTimeOffset, TEvent> _read;
    private readonly Action<AccountReputation, TEvent, ReporterStanding> _record;
    private readonly Action<AccountLinks, TEvent>? _link;
    private readonly Func<TEvent, string>? _feedbackFrom;

    /// <param name="name">The wire name.</param>
    /// <param name="fields">Lists the fields, each with the property of the event it is written from.</param>
    /// <param name="read">Reads the fields, in the order listed, into the event.</param>
    /// <param name="record">Which scoring-core method records the event, given the standing of whoever gave feedback.</param>
    /// <param name="note">What the docs add about the event.</param>
    /// <param name="link">Which entities the event links the account to, if any.</param>
    /// <param name="feedbackFrom">Whose report or block the event is, for feedback events.</param>
    /// <param name="anyPastDate">Whether the event may carry any real past date (see <see cref="AccountEventType.AnyPastDate"/>).</param>
    public AccountEventType(
        string name,
        Func<FieldList<TEvent>, FieldList<TEvent>> fields,
        Func<IFieldSource, DateTimeOffset, TEvent> read,
        Action<AccountReputation, TEvent, ReporterStanding> record,
        string? note = null,
        Action<AccountLinks, TEvent>? link = null,
        Func<TEvent, string>? feedbackFrom = null,
        bool anyPastDate = false)
        : base(name, typeof(TEvent), note, anyPastDate)
    {
        _fields = fields(new FieldList<TEvent>());
        _read = read;
        _record = record;
        _link = link;
        _feedbackFrom = feedbackFrom;
    }

    public override IReadOnlyList<Field> Fields => _fields.Fields;

    public override AccountEvent Read(IFieldSource source, DateTimeOffset at) => _read(source, at);

    public override void Write(AccountEvent accountEvent, IFieldWriter writer) => _fields.Write((TEvent)accountEvent, writer);

    public override string? FeedbackFrom(AccountEvent accountEvent) => _feedbackFrom?.Invoke((TEvent)accountEvent);

    public override void Record(AccountReputation account, AccountEvent accountEvent, ReporterStanding from) => _record(account, (TEvent)accountEvent, from);

    public override void Link(AccountLinks links, AccountEvent accountEvent) => _link?.Invoke(links, (TEvent)accountEvent);
}
