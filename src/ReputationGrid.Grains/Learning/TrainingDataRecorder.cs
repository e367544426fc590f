using System.Collections.Immutable;
using ReputationGrid.Contracts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Enforcement;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Grains.Learning;

/// <summary>
/// What an account grain hands its training-data grain: a feature snapshot with each change of action and with one send
/// check in <see cref="SnapshotPolicy.SampleEvery"/>, no closer together than <see cref="SnapshotPolicy.MinimumGap"/>
/// unless the standing changed, and a label for each challenge answered. Measures only when it keeps something, so an
/// ordinary check costs a counter. A mutable struct held inline in the account grain (every active account has one, so
/// it costs 16 bytes there instead of an object and the account's id); the grain passes itself and its grain factory.
/// </summary>
internal struct TrainingDataRecorder
{
    private int _checksSinceSample;
    private DateTime _lastSnapshotAt; // in UTC: the default, DateTime.MinValue, means no snapshot yet

    public void Checked(IGrainFactory grains, IAddressable account, AccountReputation reputation, DateTimeOffset at, EnforcementChange change, ScoringPolicy policy)
    {
        var every = policy.Snapshots.SampleEvery;
        var sampled = every > 0 && ++_checksSinceSample >= every;
        if ((sampled || change != EnforcementChange.None) && Snapshot(grains, account, reputation, at, change, policy) && sampled)
        {
            _checksSinceSample = 0;
        }
    }

    /// <summary>Not async: the snapshot's time must be kept in this struct, not in a copy an async method would make.</summary>
    public Task RecordedAsync(IGrainFactory grains, IAddressable account, AccountReputation reputation, ImmutableArray<AccountEvent> events, EnforcementChange change, ScoringPolicy policy, DateTimeOffset now)
    {
        if (change != EnforcementChange.None && reputation.Behaviour.LastEventAt is { } last)
        {
            Snapshot(grains, account, reputation, last, change, policy);
        }

        return LabelAnswersAsync(grains, account, events, now);
    }

    private static async Task LabelAnswersAsync(IGrainFactory grains, IAddressable account, ImmutableArray<AccountEvent> events, DateTimeOffset now)
    {
        foreach (var answered in events)
        {
            if (answered is ChallengePassed or ChallengeFailed)
            {
                var label = answered is ChallengeFailed ? LabelKind.Abuse : LabelKind.Legitimate;
                var reason = answered is ChallengeFailed ? "challenge_failed" : "challenge_passed";
                await grains.GetGrain<ITrainingDataGrain>(account.GetPrimaryKeyString()).AddLabelAsync(new AccountLabel(label, reason, answered.At, "platform", now));
            }
        }
    }

    /// <summary>
    /// An operator's ban establishes abuse; a clear whose note begins with <see cref="FalsePositiveNote"/> establishes that
    /// the account was legitimate all along.
    /// </summary>
    public static async Task OperatorActedAsync(IGrainFactory grains, IAddressable account, OperatorAction action, DateTimeOffset now)
    {
        var label = action.Command switch
        {
            OperatorCommand.Ban => new AccountLabel(LabelKind.Abuse, "operator_ban", now, action.By, now),
            OperatorCommand.Clear when action.Note?.StartsWith(FalsePositiveNote, StringComparison.OrdinalIgnoreCase) == true =>
                new AccountLabel(LabelKind.Legitimate, FalsePositiveNote, now, action.By, now),
            _ => null,
        };
        if (label is not null)
        {
            await grains.GetGrain<ITrainingDataGrain>(account.GetPrimaryKeyString()).AddLabelAsync(label);
        }
    }

    /// <summary>The note that makes an operator's clear a label: the action it lifts was a false positive.</summary>
    public const string FalsePositiveNote = "false_positive";

    /// <summary>Sends a snapshot unless one was sent within <see cref="SnapshotPolicy.MinimumGap"/> and this is no change of standing; true when sent.</summary>
    private bool Snapshot(IGrainFactory grains, IAddressable account, AccountReputation reputation, DateTimeOffset at, EnforcementChange change, ScoringPolicy policy)
    {
        if (change != EnforcementChange.Standing && at.UtcDateTime - _lastSnapshotAt < policy.Snapshots.MinimumGap)
        {
            return false;
        }

        _lastSnapshotAt = at.UtcDateTime;
        var review = reputation.Review(at, policy);
        var decision = review.Decision;
        var snapshot = new FeatureSnapshot(at, change != EnforcementChange.None, decision.Action, decision.Score, decision.PolicyVersion, review.Features.ToDictionary());
        _ = grains.GetGrain<ITrainingDataGrain>(account.GetPrimaryKeyString()).AddSnapshotAsync(snapshot);
        return true;
    }
}
