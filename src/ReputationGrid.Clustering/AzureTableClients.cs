using Azure;
using Azure.Core;
using Azure.Data.Tables;

namespace ReputationGrid.Clustering;

/// <summary>Clients of Azure Table storage (or Azurite) as every part of ReputationGrid uses them.</summary>
public static class AzureTableClients
{
    /// <summary>
    /// A client whose calls retry a few times on timeouts, throttling, 5xx answers and refused connections (about 15 s
    /// at most), so that a storage hiccup is ridden out but a call still fails well inside Orleans' response timeout.
    /// </summary>
    public static TableServiceClient Create(string connectionString) => new(connectionString, new TableClientOptions
    {
        Retry =
        {
            Mode = RetryMode.Exponential,
            MaxRetries = 3,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(2),
            NetworkTimeout = TimeSpan.FromSeconds(3),
        },
    });

    /// <summary>
    /// Creates <paramref name="tableName"/> once the table service answers, trying for at most <paramref name="timeout"/>:
    /// Orleans' providers try to create their tables once when the silo starts, and storage that comes up a little
    /// later must not stop the silo.
    /// </summary>
    public static async Task CreateTableWhenReachableAsync(string connectionString, string tableName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = new TableServiceClient(connectionString, new TableClientOptions
        {
            Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(2) },
        });
        var giveUpAt = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await client.CreateTableIfNotExistsAsync(tableName, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when ((e.Status is 0 or >= 500) && DateTime.UtcNow < giveUpAt)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 0 or >= 500)
            {
                throw new TimeoutException($"Azure Table storage at {client.Uri} did not answer within {timeout}: {e.Message}", e);
            }
        }
    }
}
