using ReputationGrid.Contracts;
using ReputationGrid.Scoring;

namespace ReputationGrid.Grains.Accounts;

/// <summary>Translates contract events into the scoring core's vocabulary.</summary>
internal static class EventRecorder
{
    public static void Record(AccountBehaviour behaviour, AccountEvent accountEvent)
    {
        switch (accountEvent)
        {
            case AccountRegistered e:
                behaviour.RecordRegistration(new Registration(e.At, e.Network, e.Business, e.CountryCode, e.IpPrefix, e.DeviceId));
                break;
            case MessageSent e:
                behaviour.RecordAttempt(e.At);
                behaviour.RecordDelivery(e.At, e.Message.ToOutgoing());
                break;
            case GroupCreated e:
                behaviour.RecordGroupCreated(e.At);
                break;
            case GroupMembersAdded e:
                behaviour.RecordGroupMembersAdded(e.At, e.Count, e.NonContacts);
                break;
            case Reported e:
                behaviour.RecordNegativeFeedback(e.At, e.Reporter);
                break;
            case Blocked e:
                behaviour.RecordNegativeFeedback(e.At, e.Blocker);
                break;
            case ReplyReceived e:
                behaviour.RecordReply(e.At);
                break;
            case ContactAdded e:
                behaviour.RecordContactAdded(e.At);
                break;
            default:
                throw new ArgumentException($"Unknown event type {accountEvent.GetType().Name}.", nameof(accountEvent));
        }
    }

}
