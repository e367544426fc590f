namespace ReputationGrid.Scoring.BusinessAccounts;

/// <summary>Who opened a conversation a business message belongs to. The values are stored: never renumber.</summary>
public enum ConversationKind : byte
{
    /// <summary>The business starts the conversation: it counts against the business's tier limit.</summary>
    BusinessInitiated = 1,

    /// <summary>The business answers a customer within the customer-service window after the customer's last message.</summary>
    Service = 2,
}

/// <summary>How far the platform verified a business. The values are stored: never renumber.</summary>
public enum VerificationLevel : byte
{
    None = 0,

    /// <summary>The business's identity was checked.</summary>
    Basic = 1,

    /// <summary>An official, fully verified business (a known brand).</summary>
    Full = 2,
}

/// <summary>A business's quality rating from recent negative feedback. The values are stored: never renumber.</summary>
public enum QualityRating : byte
{
    High = 0,
    Medium = 1,
    Low = 2,
}

/// <summary>Whether a person consented to a business's messages. The values are stored: never renumber.</summary>
public enum Consent : byte
{
    Unknown = 0,
    OptedIn = 1,
    OptedOut = 2,
}

/// <summary>A report or a block.</summary>
public enum NegativeFeedbackKind
{
    Report,
    Block,
}

public static class BusinessNames
{
    /// <summary>The lower-case name used on the wire and in views, e.g. <c>medium</c>.</summary>
    public static string Name(QualityRating rating) => rating switch
    {
        QualityRating.High => "high",
        QualityRating.Medium => "medium",
        _ => "low",
    };

    public static string Name(VerificationLevel level) => level switch
    {
        VerificationLevel.None => "none",
        VerificationLevel.Basic => "basic",
        _ => "full",
    };
}
