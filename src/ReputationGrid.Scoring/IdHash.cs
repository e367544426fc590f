using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ReputationGrid.Scoring;

/// <summary>
/// Stable 64-bit hashes of ids and fingerprints. They are persisted, so they must not change between
/// processes or releases: <see cref="string.GetHashCode()"/> is randomised per process and cannot be used.
/// </summary>
public static class IdHash
{
    public static ulong Of(string value) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value.AsSpan()));
}
