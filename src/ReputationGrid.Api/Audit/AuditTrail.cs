using Microsoft.AspNetCore.Http;
using ReputationGrid.Api.Auth;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Audit;

/// <summary>
/// Records every write that changes standing or configuration in the audit grain of what it changed: who (the caller),
/// when, what, and from which address. A write records itself with one call to <see cref="RecordAsync"/>, after it took effect.
/// </summary>
public sealed class AuditTrail(IGrainFactory grains, Callers callers, TimeProvider time)
{
    /// <summary>The audit subject of an account.</summary>
    public static string AccountSubject(string account) => $"account/{account}";

    /// <summary>The subject of the policy's trail: every publication, rollback and shadow change.</summary>
    public const string PolicySubject = "policy";

    /// <summary>The subject of an entity's trail, <c>entity/&lt;kind&gt;/&lt;id&gt;</c>.</summary>
    public static string EntitySubject(string entityKey) => $"entity/{entityKey}";

    /// <summary>The subject of a case's trail, <c>case/&lt;id&gt;</c>: its changes, views and exports.</summary>
    public static string CaseSubject(string id) => $"case/{id}";

    /// <summary>What an operator action records beside its name: the note and, for a suspension, its end.</summary>
    public static Dictionary<string, string> Details(OperatorAction action)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (action.Note is { } note)
        {
            details["note"] = note;
        }

        if (action.Until is { } until)
        {
            details["until"] = until.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (action.Tier is { } tier)
        {
            details["tier"] = tier.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return details;
    }


    public Task<AuditPage> ReadAsync(string subject, long? before, int limit) =>
        grains.GetGrain<IAuditGrain>(subject).ReadAsync(before, limit);

    /// <param name="action">What was done, as <c>&lt;kind&gt;.&lt;verb&gt;</c> (<c>account.ban</c>).</param>
    /// <param name="details">The change's parameters by name.</param>
    public Task RecordAsync(HttpContext context, string subject, string action, Dictionary<string, string> details) =>
        grains.GetGrain<IAuditGrain>(subject).AppendAsync(new AuditRecord(
            time.GetUtcNow(), callers.Actor(context), action, context.Connection.RemoteIpAddress?.ToString(), details));
}
