using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Parsing;

/// <summary>
/// Reads an optional <c>at</c> field (absent means now) within the gateway's time bounds: never beyond the allowed
/// clock skew into the future; behavioural events at most <see cref="GatewayOptions.MaxPastSkew"/> old, so that a
/// forged history cannot be replayed; events that may carry any real past date (see
/// <see cref="AccountEventType.AnyPastDate"/>) not before <see cref="GatewayOptions.EarliestEventTime"/>.
/// </summary>
internal readonly record struct EventClock(DateTimeOffset Now, GatewayOptions Limits)
{
    public DateTimeOffset Read(IFieldSource fields, bool anyPastDate)
    {
        var at = EnvelopeFields.At.Read(fields) ?? Now;
        if (at - Now > Limits.MaxFutureSkew)
        {
            fields.Reject(EnvelopeFields.At.Name, $"lies more than {Limits.MaxFutureSkew.TotalSeconds:0} seconds in the future");
        }
        else if (anyPastDate && at < Limits.EarliestEventTime)
        {
            fields.Reject(EnvelopeFields.At.Name, $"must not lie before {Limits.EarliestEventTime:yyyy-MM-dd}");
        }
        else if (!anyPastDate && Now - at > Limits.MaxPastSkew)
        {
            fields.Reject(EnvelopeFields.At.Name, $"lies more than {GatewayOptions.Describe(Limits.MaxPastSkew)} in the past (only {HistoryTypes} may be older)");
        }

        return at;
    }

    private static readonly string HistoryTypes = string.Join(" and ", AccountEventTypes.All.Where(type => type.AnyPastDate).Select(type => type.Name));
}
