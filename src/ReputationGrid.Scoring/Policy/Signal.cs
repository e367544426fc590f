namespace ReputationGrid.Scoring.Policy;

/// <summary>Reads one signal's measured value from the features.</summary>
public delegate double SignalReading(in Features features, ScoringPolicy policy);

/// <summary>Whether a signal is judged at all: some need enough evidence first.</summary>
public delegate bool SignalGate(in Features features, ScoringPolicy policy);

/// <summary>
/// One behavioural risk signal, named after the reason code it reports: the feature it reads, when it is judged,
/// and its default curve, configured under <see cref="PolicyKey"/>. <see cref="SignalRegistry"/> lists them all.
/// </summary>
public sealed class Signal
{
    private readonly double _start, _full, _weight;
    private readonly SignalGate? _gate;

    internal Signal(ReasonCode code, SignalPolicy defaults, SignalReading read, SignalGate? gate = null, bool scaledForBusiness = false, bool showsAutomation = false)
    {
        (Code, Name) = (code, code.ToString());
        (_start, _full, _weight) = (defaults.Start, defaults.Full, defaults.Weight);
        Read = read;
        _gate = gate;
        ScaledForBusiness = scaledForBusiness;
        ShowsAutomation = showsAutomation;
    }

    public ReasonCode Code { get; }

    /// <summary>The reason code's name: also the signal's name in configuration.</summary>
    public string Name { get; }

    /// <summary>The configuration section of the signal's curve, e.g. <c>Policy:Signals:SendRate15s</c>.</summary>
    public string PolicyKey => $"Policy:Signals:{Name}";

    public SignalReading Read { get; }

    /// <summary>Business accounts legitimately send at volume: this signal's value is divided by <see cref="BusinessPolicy.VelocityMultiplier"/> for them.</summary>
    public bool ScaledForBusiness { get; }

    /// <summary>The signal points at a machine sending, which a passed challenge (a person at the device) weighs against.</summary>
    public bool ShowsAutomation { get; }

    /// <summary>A fresh copy of the shipped curve, for a new policy to own and configuration to change.</summary>
    public SignalPolicy DefaultPolicy() => new(_start, _full, _weight);

    /// <summary>Whether the features hold enough evidence for the signal to be judged.</summary>
    public bool IsJudged(in Features features, ScoringPolicy policy) => _gate is null || _gate(features, policy);
}
