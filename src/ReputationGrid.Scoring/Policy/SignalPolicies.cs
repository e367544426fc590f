namespace ReputationGrid.Scoring.Policy;

/// <summary>
/// One risk signal: it adds nothing at or before <see cref="Start"/>, its full <see cref="Weight"/> in
/// points at or beyond <see cref="Full"/>, and a straight line between. Full may lie below Start for
/// signals where a lower value is worse (timing variation).
/// </summary>
public sealed class SignalPolicy
{
    public SignalPolicy()
    {
    }

    public SignalPolicy(double start, double full, double weight) => (Start, Full, Weight) = (start, full, weight);

    public double Start { get; set; }

    public double Full { get; set; }

    public double Weight { get; set; }

    /// <summary>Points for a measured value.</summary>
    public double Points(double value) => Weight * Math.Clamp((value - Start) / (Full - Start), 0, 1);

    internal IEnumerable<string> Validate(string name)
    {
        var errors = new List<string>();
        ScoringPolicy.Require(errors, Weight >= 0, $"Policy:Signals:{name}:Weight must not be negative.");
        ScoringPolicy.Require(errors, Start != Full, $"Policy:Signals:{name}: Start and Full must differ.");
        ScoringPolicy.Require(errors, double.IsFinite(Start) && double.IsFinite(Full), $"Policy:Signals:{name}: Start and Full must be finite.");
        return errors;
    }
}

/// <summary>The behavioural signals and their weights; each is named after the reason code it reports.</summary>
public sealed class SignalPolicies
{
    /// <summary>Send attempts in 15 seconds.</summary>
    public SignalPolicy SendRate15s { get; set; } = new(6, 20, 60);

    public SignalPolicy SendRate1m { get; set; } = new(20, 60, 40);

    public SignalPolicy SendRate1h { get; set; } = new(200, 600, 40);

    public SignalPolicy SendRate24h { get; set; } = new(1000, 3000, 40);

    /// <summary>Share of the day's messages that went to non-contacts who do not reply.</summary>
    public SignalPolicy UnansweredStrangerShare { get; set; } = new(0.5, 0.95, 30);

    /// <summary>Messages in a day to non-contacts who do not reply.</summary>
    public SignalPolicy UnansweredStrangers { get; set; } = new(30, 150, 50);

    /// <summary>Groups created in 10 minutes.</summary>
    public SignalPolicy GroupCreation { get; set; } = new(5, 20, 80);

    /// <summary>Members added to groups in an hour.</summary>
    public SignalPolicy GroupMembersAdded { get; set; } = new(300, 3000, 50);

    /// <summary>Non-contacts added to groups in an hour.</summary>
    public SignalPolicy NonContactGroupAdds { get; set; } = new(100, 500, 80);

    /// <summary>Weighted people who reported or blocked, per distinct recipient, over a day.</summary>
    public SignalPolicy NegativeFeedbackRatio { get; set; } = new(0.02, 0.1, 80);

    /// <summary>Weighted people who reported or blocked over a day.</summary>
    public SignalPolicy NegativeFeedbackCount { get; set; } = new(3, 15, 40);

    /// <summary>Distinct recipients of one content fingerprint within an hour.</summary>
    public SignalPolicy FingerprintFanout { get; set; } = new(10, 40, 70);

    /// <summary>Forwarded messages in an hour.</summary>
    public SignalPolicy ForwardFanout { get; set; } = new(30, 150, 40);

    /// <summary>Share of sends with no typing shown first.</summary>
    public SignalPolicy NoTyping { get; set; } = new(0.6, 0.98, 25);

    /// <summary>Coefficient of variation of the gaps between sends (lower is more machine-like).</summary>
    public SignalPolicy ClockworkTiming { get; set; } = new(0.3, 0.05, 30);

    /// <summary>A young account registered on a VoIP number: a flat amount (Start 0, Full 1).</summary>
    public SignalPolicy VoipRegistration { get; set; } = new(0, 1, 10);

    internal IEnumerable<string> Validate() =>
        new (string Name, SignalPolicy Signal)[]
        {
            (nameof(SendRate15s), SendRate15s), (nameof(SendRate1m), SendRate1m), (nameof(SendRate1h), SendRate1h),
            (nameof(SendRate24h), SendRate24h), (nameof(UnansweredStrangerShare), UnansweredStrangerShare),
            (nameof(UnansweredStrangers), UnansweredStrangers), (nameof(GroupCreation), GroupCreation),
            (nameof(GroupMembersAdded), GroupMembersAdded), (nameof(NonContactGroupAdds), NonContactGroupAdds),
            (nameof(NegativeFeedbackRatio), NegativeFeedbackRatio), (nameof(NegativeFeedbackCount), NegativeFeedbackCount),
            (nameof(FingerprintFanout), FingerprintFanout), (nameof(ForwardFanout), ForwardFanout), (nameof(NoTyping), NoTyping),
            (nameof(ClockworkTiming), ClockworkTiming), (nameof(VoipRegistration), VoipRegistration),
        }.SelectMany(s => s.Signal is null ? [$"Policy:Signals:{s.Name} is missing."] : s.Signal.Validate(s.Name));
}
