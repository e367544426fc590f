using Orleans.Concurrency;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.Contracts;

/// <summary>
/// The cluster's scoring policy, one grain (key <see cref="Key"/>): the live version, the versions kept, and the shadow
/// candidate with the shadow counts the silos report. Documents are <c>PolicyDocument</c> JSON; every change is
/// validated here and stored before it is answered. Method aliases are part of the wire format: keep them when renaming.
/// </summary>
[Alias("rg.IPolicyGrain")]
public interface IPolicyGrain : IGrainWithIntegerKey
{
    /// <summary>The only key: there is one policy per cluster.</summary>
    const long Key = 0;

    [Alias("GetLive"), ReadOnly]
    Task<PolicyVersion> GetLiveAsync();

    [Alias("GetVersions"), ReadOnly]
    Task<PolicyHistory> GetVersionsAsync();

    /// <summary>One version kept, with its document; null when no version of that name is kept.</summary>
    [Alias("GetVersion"), ReadOnly]
    Task<PolicyVersion?> GetVersionAsync(string version);

    /// <summary>Validates the document and makes it the live version, under a version name not used before.</summary>
    [Alias("Publish")]
    Task<PolicyChange> PublishAsync(string document, string author);

    /// <summary>Makes an earlier version live again.</summary>
    [Alias("Rollback")]
    Task<PolicyChange> RollbackAsync(string version, string author);

    /// <summary>Validates the document and installs it as the shadow candidate, replacing any other, with counts from zero.</summary>
    [Alias("InstallShadow")]
    Task<PolicyChange> InstallShadowAsync(string document, string author);

    /// <summary>Removes the shadow candidate; false when there was none.</summary>
    [Alias("RemoveShadow")]
    Task<bool> RemoveShadowAsync();

    /// <summary>The shadow counts of every silo added up, with a page of the sample; null when no candidate is installed.</summary>
    [Alias("GetShadowReport"), ReadOnly]
    Task<ShadowReport?> GetShadowReportAsync(int offset, int limit);

    /// <summary>
    /// A silo's poll: takes its shadow counts (if any) and answers the policies in force when they changed since
    /// <paramref name="knownRevision"/>, else null.
    /// </summary>
    [Alias("Sync")]
    Task<PolicySnapshot?> SyncAsync(Guid silo, long knownRevision, ShadowCounts? counts);
}

/// <summary>One version of the policy: its document, who made it and when.</summary>
[GenerateSerializer, Immutable, Alias("rg.PolicyVersion")]
public sealed record PolicyVersion(
    [property: Id(0)] string Version,
    [property: Id(1)] string Document,
    [property: Id(2)] string Author,
    [property: Id(3)] DateTimeOffset At);

/// <summary>The versions kept, newest first, without their documents.</summary>
[GenerateSerializer, Immutable, Alias("rg.PolicyHistory")]
public sealed record PolicyHistory([property: Id(0)] string Live, [property: Id(1)] PolicyVersionInfo[] Versions);

[GenerateSerializer, Immutable, Alias("rg.PolicyVersionInfo")]
public sealed record PolicyVersionInfo([property: Id(0)] string Version, [property: Id(1)] string Author, [property: Id(2)] DateTimeOffset At);

/// <summary>The outcome of a change: the version now in force (live or shadow), or why nothing changed.</summary>
/// <param name="Errors">Each begins with the key it is about (<c>Policy:Thresholds:Throttle</c>, <c>version</c>).</param>
[GenerateSerializer, Immutable, Alias("rg.PolicyChange")]
public sealed record PolicyChange([property: Id(0)] PolicyVersion? Accepted, [property: Id(1)] string[] Errors);

/// <summary>A candidate evaluated beside the live policy and never enforced.</summary>
/// <param name="Id">Unique per installation: counts made under another installation are never added to this one's.</param>
[GenerateSerializer, Immutable, Alias("rg.ShadowCandidate")]
public sealed record ShadowCandidate(
    [property: Id(0)] long Id,
    [property: Id(1)] string Version,
    [property: Id(2)] string Document,
    [property: Id(3)] string Author,
    [property: Id(4)] DateTimeOffset Since);

/// <summary>What a silo must apply: the live document and the shadow candidate, as of <paramref name="Revision"/>.</summary>
[GenerateSerializer, Immutable, Alias("rg.PolicySnapshot")]
public sealed record PolicySnapshot(
    [property: Id(0)] long Revision,
    [property: Id(1)] string LiveDocument,
    [property: Id(2)] ShadowCandidate? Shadow);

/// <summary>
/// Live and shadow decisions compared since the candidate <paramref name="ShadowId"/> was installed: by one silo, or
/// added up over the silos.
/// </summary>
/// <param name="Agreed">Decisions where the candidate took the same action as the live policy.</param>
/// <param name="Matrix">Decisions by live action (row) and shadow action (column), each indexed by severity.</param>
/// <param name="DifferingReasons">By reason code: decisions where exactly one of the two gave the reason.</param>
/// <param name="Sample">Accounts the two treated differently, first difference each, bounded.</param>
[GenerateSerializer, Immutable, Alias("rg.ShadowCounts")]
public sealed record ShadowCounts(
    [property: Id(0)] long ShadowId,
    [property: Id(1)] long Compared,
    [property: Id(2)] long Agreed,
    [property: Id(3)] long[] Matrix,
    [property: Id(4)] long[] DifferingReasons,
    [property: Id(5)] ShadowSample[] Sample)
{
    /// <summary>What a tally has counted so far.</summary>
    public static ShadowCounts Of(ShadowTally tally) => new(
        tally.ShadowId, tally.Compared, tally.Agreed, tally.Matrix(), tally.DifferingReasons(), Array.ConvertAll(tally.Sampled(), ShadowSample.From));

    /// <summary>Counts of several silos added up; samples joined, oldest difference first.</summary>
    public static ShadowCounts Sum(long shadowId, IEnumerable<ShadowCounts> silos)
    {
        var matrix = new long[ShadowTally.Actions * ShadowTally.Actions];
        var reasons = new long[ShadowTally.ReasonCodes];
        long compared = 0, agreed = 0;
        var sample = new List<ShadowSample>();
        foreach (var counts in silos)
        {
            compared += counts.Compared;
            agreed += counts.Agreed;
            AddInto(matrix, counts.Matrix);
            AddInto(reasons, counts.DifferingReasons);
            sample.AddRange(counts.Sample);
        }

        sample.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Account, b.Account));
        return new ShadowCounts(shadowId, compared, agreed, matrix, reasons, [.. sample]);
    }

    private static void AddInto(long[] total, long[] counts)
    {
        for (var i = 0; i < Math.Min(total.Length, counts.Length); i++)
        {
            total[i] += counts[i];
        }
    }
}

/// <summary>An account the candidate would have treated differently, at its first differing decision on its silo.</summary>
[GenerateSerializer, Immutable, Alias("rg.ShadowSample")]
public sealed record ShadowSample(
    [property: Id(0)] string Account,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] EnforcementAction Live,
    [property: Id(3)] EnforcementAction Shadow,
    [property: Id(4)] ReasonCode[] LiveReasons,
    [property: Id(5)] ReasonCode[] ShadowReasons)
{
    public static ShadowSample From(ShadowDifference difference) => new(
        difference.Account, difference.At, difference.Live, difference.Shadow, difference.LiveReasons, difference.ShadowReasons);
}

/// <param name="Silos">Silos whose counts are included.</param>
/// <param name="Counts">The silos' counts added up, <see cref="ShadowCounts.Sample"/> holding the requested page only.</param>
/// <param name="SampleTotal">Accounts in the whole sample.</param>
[GenerateSerializer, Immutable, Alias("rg.ShadowReport")]
public sealed record ShadowReport(
    [property: Id(0)] ShadowCandidate Candidate,
    [property: Id(1)] int Silos,
    [property: Id(2)] ShadowCounts Counts,
    [property: Id(3)] int SampleTotal);
