using Azure;
using Azure.Core;
using Azure.Data.Tables;

namespace ReputationGrid.Clustering;

/// <summary>Clients of Azure Table storage (or Azurite) as every part of ReputationGrid uses them.</summary>
public static class AzureTableClients
{
    /// <summary>
    /// A client whose calls retry once on a timeout, throttling, a 5xx answer or a refused connection (about 3.2 s at
    /// most: two tries of 1.5 s and a pause), so that a storage hiccup is ridden out but a call still fails inside the
    /// 4 s response timeout (<see cref="ClusteringOptions.ResponseTimeout"/>) with a storage error rather than a timeout.
    /// </summary>
    public static TableServiceClient Create(string connectionString) => new(connectionString, new TableClientOptions
    {
        Retry =
        {
            Mode = RetryMode.Fixed,
            MaxRetries = 1,
            Delay = TimeSpan.FromMilliseconds(200),
            NetworkTimeout = TimeSpan.FromSeconds(1.5),
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
