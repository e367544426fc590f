using System.Runtime.CompilerServices;

namespace ReputationGrid.Scoring.Policy;

/// <summary>
/// What the risk model found at one moment: total risk points, each signal's share of them, and the
/// hard rule that fired, if any. A value type with inline storage, a contribution per signal of
/// <see cref="SignalRegistry"/>, so assessing allocates nothing.
/// </summary>
public struct RiskAssessment
{
    /// <summary>Most reasons <see cref="WriteReasons"/> writes: the hard rule and every signal.</summary>
    public const int MaxReasons = SignalRegistry.Count + 1;

    private Contributions _contributions;
    private int _count;

    /// <summary>The sum of all contributions: 0 is no risk; the score is 100 minus this, floored at 0.</summary>
    public double Points { get; private set; }

    /// <summary>A rule that bans outright, whatever the score (the white paper's certain cases).</summary>
    public ReasonCode? HardRule { get; internal set; }

    /// <summary>
    /// The points of <see cref="Points"/> that reports and blocks from people the account never messaged brought, after
    /// the limit on them: such feedback is unverified (a stranger can report anyone).
    /// </summary>
    public double UnverifiedFeedbackPoints { get; internal set; }

    public readonly int Count => _count;

    /// <summary>
    /// Whether unverified feedback is all that takes the risk to a throttle: without its points the account's own
    /// behaviour would not start one. A refusal then may hold the account at a throttle, never press it further.
    /// </summary>
    public readonly bool OnlyUnverifiedFeedbackThrottles(ActionThresholds thresholds) =>
        HardRule is null && UnverifiedFeedbackPoints > 0 && Points - UnverifiedFeedbackPoints < 100 - thresholds.Throttle;

    /// <summary>The points <paramref name="reason"/> contributed; 0 when it contributed none.</summary>
    public readonly double PointsOf(ReasonCode reason)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_contributions[i].Reason == reason)
            {
                return _contributions[i].Points;
            }
        }

        return 0;
    }

    public readonly (ReasonCode Reason, double Points) this[int index] =>
        index < _count ? _contributions[index] : throw new ArgumentOutOfRangeException(nameof(index));

    internal void Add(ReasonCode reason, double points)
    {
        if (points <= 0)
        {
            return;
        }

        if (_count == SignalRegistry.Count)
        {
            throw new InvalidOperationException($"An assessment holds one contribution per signal, {SignalRegistry.Count} in all.");
        }

        _contributions[_count++] = (reason, points);
        Points += points;
    }

    /// <summary>Takes <paramref name="points"/> off the contribution of <paramref name="reason"/>.</summary>
    internal void Reduce(ReasonCode reason, double points)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_contributions[i].Reason == reason)
            {
                var taken = Math.Min(points, _contributions[i].Points);
                _contributions[i].Points -= taken;
                Points -= taken;
                return;
            }
        }
    }

    internal void Scale(double factor)
    {
        for (var i = 0; i < _count; i++)
        {
            _contributions[i].Points *= factor;
        }

        Points *= factor;
    }

    /// <summary>
    /// The reasons worth naming, largest first: contributions of at least <paramref name="minimumPoints"/>,
    /// or the single largest one when none reaches it; the hard rule, when set, comes first.
    /// </summary>
    public readonly ReasonCode[] Reasons(double minimumPoints)
    {
        Span<ReasonCode> reasons = stackalloc ReasonCode[MaxReasons];
        return reasons[..WriteReasons(minimumPoints, reasons)].ToArray();
    }

    /// <summary>Writes the reasons of <see cref="Reasons"/> into <paramref name="reasons"/> (at least <see cref="MaxReasons"/> long) without allocating; returns how many.</summary>
    public readonly int WriteReasons(double minimumPoints, Span<ReasonCode> reasons)
    {
        Span<(ReasonCode Reason, double Points)> sorted = stackalloc (ReasonCode, double)[_count];
        for (var i = 0; i < _count; i++)
        {
            sorted[i] = _contributions[i];
        }

        sorted.Sort(static (a, b) => b.Points.CompareTo(a.Points));
        var named = 0;
        while (named < sorted.Length && sorted[named].Points >= minimumPoints)
        {
            named++;
        }

        named = Math.Max(named, Math.Min(1, sorted.Length));
        var hard = HardRule is null ? 0 : 1;
        if (HardRule is { } rule)
        {
            reasons[0] = rule;
        }

        for (var i = 0; i < named; i++)
        {
            reasons[hard + i] = sorted[i].Reason;
        }

        return named + hard;
    }

    [InlineArray(SignalRegistry.Count)]
    private struct Contributions
    {
        private (ReasonCode Reason, double Points) _element;
    }
}
