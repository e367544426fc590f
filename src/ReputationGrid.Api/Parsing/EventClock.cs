using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Parsing;

/// <summary>
/// Reads an optional <c>at</c> field: absent means now; past times are fine (back-fills replay history);
/// a time beyond the allowed clock skew into the future is rejected.
/// </summary>
internal readonly record struct EventClock(DateTimeOffset Now, TimeSpan MaxFutureSkew)
{
    public DateTimeOffset Read(IFieldSource fields)
    {
        var at = EnvelopeFields.At.Read(fields) ?? Now;
        if (at - Now > MaxFutureSkew)
        {
            fields.Reject(EnvelopeFields.At.Name, $"lies more than {MaxFutureSkew.TotalSeconds:0} seconds in the future");
        }

        return at;
    }
}
