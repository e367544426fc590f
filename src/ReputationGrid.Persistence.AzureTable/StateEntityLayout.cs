using Azure.Data.Tables;

namespace ReputationGrid.Persistence.AzureTable;

/// <summary>
/// How a grain state maps onto a table entity: one entity per state, partition key from the service id
/// and the grain id, row key from the state's name, the serialized state in binary properties
/// <c>Data</c>, <c>Data1</c> … <c>Data14</c> of at most 64 KiB each. This is the layout of the official
/// provider's binary format, so either provider can read what the other wrote.
/// </summary>
internal static class StateEntityLayout
{
    /// <summary>The largest binary property Azure Table storage accepts.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    /// <summary>Fifteen full chunks keep the entity, keys and property names included, under the 1 MiB entity limit.</summary>
    public const int MaxChunks = 15;

    public const int MaxStateBytes = MaxChunkBytes * MaxChunks;

    /// <summary>Partition and row keys must be shorter than this.</summary>
    public const int MaxKeyLength = 1024;

    private const string DataProperty = "Data";

    private static readonly string[] ChunkNames =
        [DataProperty, .. Enumerable.Range(1, MaxChunks - 1).Select(i => DataProperty + i)];

    public static string PartitionKey(string serviceId, GrainId grainId) => Key($"{serviceId}_{grainId}");

    public static string RowKey(string stateName) => Key(stateName);

    /// <summary>Puts <paramref name="data"/> into the entity's data properties.</summary>
    /// <exception cref="ArgumentException">The data is larger than one entity can hold.</exception>
    public static void WriteData(TableEntity entity, ReadOnlyMemory<byte> data)
    {
        if (data.Length > MaxStateBytes)
        {
            throw new ArgumentException(
                $"The serialized state is {data.Length} bytes; an Azure Table entity holds at most {MaxStateBytes} bytes of state. Nothing was written.",
                nameof(data));
        }

        for (int offset = 0, chunk = 0; offset < data.Length; offset += MaxChunkBytes, chunk++)
        {
            entity[ChunkNames[chunk]] = data.Slice(offset, Math.Min(MaxChunkBytes, data.Length - offset)).ToArray();
        }
    }

    /// <summary>The data stored in the entity, or null when it holds none (a cleared state).</summary>
    public static byte[]? ReadData(TableEntity entity)
    {
        var chunks = new List<byte[]>(1);
        foreach (var name in ChunkNames)
        {
            if (entity.TryGetValue(name, out var value) && value is byte[] { Length: > 0 } chunk)
            {
                chunks.Add(chunk);
            }
        }

        return chunks.Count switch
        {
            0 => null,
            1 => chunks[0],
            _ => [.. chunks.SelectMany(chunk => chunk)],
        };
    }

    /// <summary>Replaces the characters table keys may not contain.</summary>
    private static string Key(string value)
    {
        var key = string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c;
            }
        });

        return key.Length < MaxKeyLength
            ? key
            : throw new ArgumentException($"The table key '{key[..64]}…' is {key.Length} characters; at most {MaxKeyLength - 1} are allowed.", nameof(value));
    }
}
