namespace ReputationGrid.Contracts;

/// <summary>
/// A grain call failed because the silo's storage could not be reached or did not answer. Silos throw it in place of the
/// storage client's own exception, which carries types (Azure.Core, StackExchange.Redis) that a gateway need not have.
/// </summary>
[GenerateSerializer, Alias("rg.StorageUnavailableException")]
public sealed class StorageUnavailableException : OrleansException
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
