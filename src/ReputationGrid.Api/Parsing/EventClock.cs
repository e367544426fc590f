namespace ReputationGrid.Api.Parsing;

/// <summary>
/// Reads an optional <c>at</c> field: absent means now; past times are fine (back-fills replay history);
/// a time beyond the allowed clock skew into the future is rejected.
/// </summary>
internal readonly record struct EventClock(DateTimeOffset Now, TimeSpan MaxFutureSkew)
{
    public DateTimeOffset Read(JsonFields fields)
    {
        var at = fields.Timestamp("at") ?? Now;
        if (at - Now > MaxFutureSkew)
        {
            fields.Reject("at", $"lies more than {MaxFutureSkew.TotalSeconds:0} seconds in the future");
        }

        return at;
    }
}
