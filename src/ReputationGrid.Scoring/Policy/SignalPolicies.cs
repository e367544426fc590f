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

    internal void Validate(List<string> errors, string key)
    {
        ScoringPolicy.Require(errors, Weight >= 0, $"{key}:Weight must not be negative.");
        ScoringPolicy.Require(errors, Start != Full, $"{key}: Start and Full must differ.");
        ScoringPolicy.Require(errors, double.IsFinite(Start) && double.IsFinite(Full), $"{key}: Start and Full must be finite.");
    }
}

/// <summary>
/// The configured curve of every signal in <see cref="SignalRegistry"/>, starting from its default. There is a property
/// per signal, named after it, only so that configuration binds <c>Policy:Signals:&lt;Name&gt;</c> by name and refuses a
/// name it does not know; everything else reads the curves through <see cref="Of"/>.
/// </summary>
public sealed class SignalPolicies
{
    // Indexed by reason code (a byte), so a lookup on the send path is one array read.
    private readonly SignalPolicy?[] _policies = Defaults();

    /// <summary>Send attempts in 15 seconds.</summary>
    public SignalPolicy SendRate15s { get => Get(ReasonCode.SendRate15s); set => Set(ReasonCode.SendRate15s, value); }

    /// <summary>Send attempts in a minute.</summary>
    public SignalPolicy SendRate1m { get => Get(ReasonCode.SendRate1m); set => Set(ReasonCode.SendRate1m, value); }

    /// <summary>Send attempts in an hour.</summary>
    public SignalPolicy SendRate1h { get => Get(ReasonCode.SendRate1h); set => Set(ReasonCode.SendRate1h, value); }

    /// <summary>Send attempts in a day.</summary>
    public SignalPolicy SendRate24h { get => Get(ReasonCode.SendRate24h); set => Set(ReasonCode.SendRate24h, value); }

    /// <summary>Share of the day's messages that went to non-contacts who do not reply.</summary>
    public SignalPolicy UnansweredStrangerShare { get => Get(ReasonCode.UnansweredStrangerShare); set => Set(ReasonCode.UnansweredStrangerShare, value); }

    /// <summary>Messages in a day to non-contacts who do not reply.</summary>
    public SignalPolicy UnansweredStrangers { get => Get(ReasonCode.UnansweredStrangers); set => Set(ReasonCode.UnansweredStrangers, value); }

    /// <summary>Groups created in 10 minutes.</summary>
    public SignalPolicy GroupCreation { get => Get(ReasonCode.GroupCreation); set => Set(ReasonCode.GroupCreation, value); }

    /// <summary>Members added to groups in an hour.</summary>
    public SignalPolicy GroupMembersAdded { get => Get(ReasonCode.GroupMembersAdded); set => Set(ReasonCode.GroupMembersAdded, value); }

    /// <summary>Non-contacts added to groups in an hour.</summary>
    public SignalPolicy NonContactGroupAdds { get => Get(ReasonCode.NonContactGroupAdds); set => Set(ReasonCode.NonContactGroupAdds, value); }

    /// <summary>People who reported or blocked after being messaged, per distinct recipient, over a day.</summary>
    public SignalPolicy NegativeFeedbackRatio { get => Get(ReasonCode.NegativeFeedbackRatio); set => Set(ReasonCode.NegativeFeedbackRatio, value); }

    /// <summary>Weighted people who reported or blocked over a day.</summary>
    public SignalPolicy NegativeFeedbackCount { get => Get(ReasonCode.NegativeFeedbackCount); set => Set(ReasonCode.NegativeFeedbackCount, value); }

    public SignalPolicy ReportedWhileIgnored { get => Get(ReasonCode.ReportedWhileIgnored); set => Set(ReasonCode.ReportedWhileIgnored, value); }

    /// <summary>Share of the day's recipients, contacts or not, who had time to answer and did not.</summary>
    public SignalPolicy UnansweredRecipients { get => Get(ReasonCode.UnansweredRecipients); set => Set(ReasonCode.UnansweredRecipients, value); }

    /// <summary>Distinct recipients of one content fingerprint within an hour.</summary>
    public SignalPolicy FingerprintFanout { get => Get(ReasonCode.FingerprintFanout); set => Set(ReasonCode.FingerprintFanout, value); }

    /// <summary>Forwarded messages in an hour.</summary>
    public SignalPolicy ForwardFanout { get => Get(ReasonCode.ForwardFanout); set => Set(ReasonCode.ForwardFanout, value); }

    /// <summary>Share of sends with no typing shown first.</summary>
    public SignalPolicy NoTyping { get => Get(ReasonCode.NoTyping); set => Set(ReasonCode.NoTyping, value); }

    /// <summary>Coefficient of variation of the gaps between sends (lower is more machine-like).</summary>
    public SignalPolicy ClockworkTiming { get => Get(ReasonCode.ClockworkTiming); set => Set(ReasonCode.ClockworkTiming, value); }

    /// <summary>A young account registered on a VoIP number: a flat amount.</summary>
    public SignalPolicy VoipRegistration { get => Get(ReasonCode.VoipRegistration); set => Set(ReasonCode.VoipRegistration, value); }

    /// <summary>The highest share of suspended or banned accounts on a linked entity.</summary>
    public SignalPolicy LinkedToActioned { get => Get(ReasonCode.LinkedToActioned); set => Set(ReasonCode.LinkedToActioned, value); }

    /// <summary>The highest share of stranger senders on a linked device or network with a registration burst.</summary>
    public SignalPolicy LinkedRegistrationBurst { get => Get(ReasonCode.LinkedRegistrationBurst); set => Set(ReasonCode.LinkedRegistrationBurst, value); }

    /// <summary>Young stranger senders of a content fingerprint the account sent.</summary>
    public SignalPolicy CampaignFanout { get => Get(ReasonCode.CampaignFanout); set => Set(ReasonCode.CampaignFanout, value); }

    /// <summary>Share of the day's replies that came from accounts linked on the account's device or network.</summary>
    public SignalPolicy ClosedReplyRing { get => Get(ReasonCode.ClosedReplyRing); set => Set(ReasonCode.ClosedReplyRing, value); }

    /// <summary>The policy's learned model's probability that the account is abusive (judged only when the policy carries a model).</summary>
    public SignalPolicy ModelRisk { get => Get(ReasonCode.ModelRisk); set => Set(ReasonCode.ModelRisk, value); }

    /// <summary>The curve <paramref name="signal"/> is scored on under this policy.</summary>
    public SignalPolicy Of(Signal signal) => _policies[(int)signal.Code]!;

    internal void Validate(List<string> errors)
    {
        foreach (var signal in SignalRegistry.All)
        {
            if (_policies[(int)signal.Code] is { } policy)
            {
                policy.Validate(errors, signal.PolicyKey);
            }
            else
            {
                errors.Add($"{signal.PolicyKey} is missing.");
            }
        }
    }

    private SignalPolicy Get(ReasonCode code) => _policies[(int)code]!;

    private void Set(ReasonCode code, SignalPolicy value) => _policies[(int)code] = value;

    private static SignalPolicy?[] Defaults()
    {
        var policies = new SignalPolicy?[byte.MaxValue + 1];
        foreach (var signal in SignalRegistry.All)
        {
            policies[(int)signal.Code] = signal.DefaultPolicy();
        }

        return policies;
    }
}
