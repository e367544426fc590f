using Orleans.Serialization;
using Orleans.Storage;

namespace ReputationGrid.Hosting.Storage;

/// <summary>
/// Orleans' binary grain-storage format, the bytes Orleans' own <see cref="OrleansGrainStorageSerializer"/> writes,
/// written through the serializer's pooled buffers: that one grows a new buffer from 256 bytes for every state, which
/// allocated two to three times an account's state on every flush.
/// </summary>
internal sealed class PooledBinaryStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(serializer.SerializeToArray(input));

    public T? Deserialize<T>(BinaryData input) => serializer.Deserialize<T>(input.ToMemory());
}
