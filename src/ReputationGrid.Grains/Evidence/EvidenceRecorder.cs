using System.Collections.Immutable;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Evidence;

/// <summary>
/// What an account grain hands its evidence grain: a feature snapshot with each change of action and with one send
/// check in <see cref="SnapshotPolicy.SampleEvery"/>, no closer together than <see cref="SnapshotPolicy.MinimumGap"/>
/// unless the standing changed, and a label for each challenge answered. Measures only when it keeps something, so an
/// ordinary check costs a counter.
/// </summary>
internal sealed class EvidenceRecorder(IGrainFactory grains, string account)
{
    private int _checksSinceSample;
    private DateTimeOffset _lastSnapshotAt = DateTimeOffset.MinValue;

    public void Checked(AccountReputation reputation, DateTimeOffset at, EnforcementChange change, ScoringPolicy policy)
    {
        var every = policy.Snapshots.SampleEvery;
        var sampled = every > 0 && ++_checksSinceSample >= every;
        if ((sampled || change != EnforcementChange.None) && Snapshot(reputation, at, change, policy) && sampled)
        {
            _checksSinceSample = 0;
        }
    }

    public async Task RecordedAsync(AccountReputation reputation, ImmutableArray<AccountEvent> events, EnforcementChange change, ScoringPolicy policy, DateTimeOffset now)
    {
        if (change != EnforcementChange.None && reputation.Behaviour.LastEventAt is { } last)
        {
            Snapshot(reputation, last, change, policy);
        }

        foreach (var answered in events)
        {
            if (answered is ChallengePassed or ChallengeFailed)
            {
                var label = answered is ChallengeFailed ? LabelKind.Abuse : LabelKind.Legitimate;
                var reason = answered is ChallengeFailed ? "challenge_failed" : "challenge_passed";
                await grains.GetGrain<IEvidenceGrain>(account).AddLabelAsync(new AccountLabel(label, reason, answered.At, "platform", now));
            }
        }
    }

    /// <summary>Sends a snapshot unless one was sent within <see cref="SnapshotPolicy.MinimumGap"/> and this is no change of standing; true when sent.</summary>
    private bool Snapshot(AccountReputation reputation, DateTimeOffset at, EnforcementChange change, ScoringPolicy policy)
    {
        if (change != EnforcementChange.Standing && at - _lastSnapshotAt < policy.Snapshots.MinimumGap)
        {
            return false;
        }

        _lastSnapshotAt = at;
        var review = reputation.Review(at, policy);
        var decision = review.Decision;
        var snapshot = new FeatureSnapshot(at, change != EnforcementChange.None, decision.Action, decision.Score, decision.PolicyVersion, review.Features.ToDictionary());
        _ = grains.GetGrain<IEvidenceGrain>(account).AddSnapshotAsync(snapshot);
        return true;
    }
}
