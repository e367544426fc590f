using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Scoring.Linking;

/// <summary>
/// What one entity says about the accounts linked to it: the values the linked signals read, and whether an operator
/// banned the entity. An account keeps the latest one of each of its entities; values are rounded so that small
/// changes do not cause pushes.
/// </summary>
/// <param name="ActionedShare">Share of the entity's listed accounts that are suspended or banned (0 below the minimum count).</param>
/// <param name="FarmShare">Share of listed accounts that are stranger senders, on a device or network with a registration burst.</param>
/// <param name="CampaignSenders">Young stranger senders of one content fingerprint, when they are most of its senders.</param>
/// <param name="Banned">An operator banned the entity: every linked account is banned.</param>
public readonly record struct EntityRisk(double ActionedShare, double FarmShare, double CampaignSenders, bool Banned)
{
    /// <summary>The strongest evidence of two entities' risks, value by value.</summary>
    public EntityRisk Max(in EntityRisk other) => new(
        Math.Max(ActionedShare, other.ActionedShare),
        Math.Max(FarmShare, other.FarmShare),
        Math.Max(CampaignSenders, other.CampaignSenders),
        Banned || other.Banned);

    /// <summary>Why the entity is risky for its accounts: an operator's ban, then each linked signal its values trigger.</summary>
    public ReasonCode[] Reasons(ScoringPolicy policy)
    {
        var signals = policy.Signals;
        var reasons = new List<ReasonCode>(4);
        Add(Banned, ReasonCode.OperatorBan);
        Add(signals.LinkedToActioned.Points(ActionedShare) > 0, ReasonCode.LinkedToActioned);
        Add(signals.LinkedRegistrationBurst.Points(FarmShare) > 0, ReasonCode.LinkedRegistrationBurst);
        Add(signals.CampaignFanout.Points(CampaignSenders) > 0, ReasonCode.CampaignFanout);
        return [.. reasons];

        void Add(bool applies, ReasonCode reason)
        {
            if (applies)
            {
                reasons.Add(reason);
            }
        }
    }
}
