using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ReputationGrid.Api.Endpoints;

/// <summary>The <c>limit</c> and <c>cursor</c> of a request for one page of a log read newest first (the audit trail, an enforcement record).</summary>
internal readonly record struct PageQuery(int Limit, long? Before)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The page asked for, or the problem to answer with.</summary>
    public static (PageQuery Page, IResult? Problem) Read(IQueryCollection query)
    {
        var limit = DefaultLimit;
        if (query.ContainsKey("limit")
            && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return (default, Problems.Field("limit", $"limit: must be a whole number from 1 to {MaxLimit}"));
        }

        long? before = null;
        if (query.ContainsKey("cursor"))
        {
            if (!long.TryParse(query["cursor"], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
            {
                return (default, Problems.Field("cursor", "cursor: must be the next value of an earlier page"));
            }

            before = cursor;
        }

        return (new PageQuery(limit, before), null);
    }
}
