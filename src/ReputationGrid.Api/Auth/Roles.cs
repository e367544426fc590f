namespace ReputationGrid.Api.Auth;

/// <summary>The roles a caller can hold: a key has one, a JWT any number.</summary>
public static class Roles
{
    /// <summary>Front-ends: report events and ask for send decisions, nothing else.</summary>
    public const string Sender = "sender";

    /// <summary>Trust and safety staff: read accounts, take and clear actions, open and build cases.</summary>
    public const string Operator = "operator";

    /// <summary>Read-only review: accounts, cases and the audit trail; exports cases' evidence.</summary>
    public const string Auditor = "auditor";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Sender, Operator, Auditor, Admin];

    public static bool IsKnown(string? role) => role is Sender or Operator or Auditor or Admin;
}

/// <summary>The authorization policies the endpoints and gRPC methods require, each with the roles it admits.</summary>
public static class ApiPolicies
{
    /// <summary>Recording events and the send-time check (HTTP and gRPC).</summary>
    public const string Send = "send";

    /// <summary>Reading an account's standing, behaviour and history.</summary>
    public const string ReadAccounts = "read-accounts";

    /// <summary>Taking and clearing operator actions.</summary>
    public const string ActOnAccounts = "act-on-accounts";

    /// <summary>Reading the audit trail.</summary>
    public const string ReadAudit = "read-audit";

    /// <summary>Reading the live policy, its versions and the shadow report.</summary>
    public const string ReadPolicy = "read-policy";

    /// <summary>Publishing and rolling back the policy, installing and removing the shadow candidate.</summary>
    public const string ChangePolicy = "change-policy";

    /// <summary>Watching the cluster: the console's overview and the Orleans dashboard.</summary>
    public const string WatchCluster = "watch-cluster";

    /// <summary>Listing and viewing cases (each view is audited).</summary>
    public const string ReadCases = "read-cases";

    /// <summary>Opening cases and adding to them: accounts, entities, notes, evidence.</summary>
    public const string EditCases = "edit-cases";

    /// <summary>Exporting a case's evidence (audited).</summary>
    public const string ExportCases = "export-cases";

    /// <summary>Each policy and the roles it admits; admin is in every one.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RolesAdmitted = new Dictionary<string, string[]>
    {
        [Send] = [Roles.Sender, Roles.Admin],
        [ReadAccounts] = [Roles.Operator, Roles.Auditor, Roles.Admin],
        [ActOnAccounts] = [Roles.Operator, Roles.Admin],
        [ReadAudit] = [Roles.Auditor, Roles.Admin],
        [ReadPolicy] = [Roles.Operator, Roles.Auditor, Roles.Admin],
        [ChangePolicy] = [Roles.Admin],
        [WatchCluster] = [Roles.Operator, Roles.Admin],
        [ReadCases] = [Roles.Operator, Roles.Auditor, Roles.Admin],
        [EditCases] = [Roles.Operator, Roles.Admin],
        [ExportCases] = [Roles.Auditor, Roles.Admin],
    };
}
