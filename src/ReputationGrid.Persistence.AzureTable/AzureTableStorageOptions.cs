using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Data.Tables;
using Orleans.Runtime;
using Orleans.Storage;

namespace ReputationGrid.Persistence.AzureTable;

/// <summary>
/// Options of one Azure Table grain storage provider. Names follow the official
/// <c>Orleans.Configuration.AzureTableStorageOptions</c> where they mean the same thing.
/// </summary>
public sealed partial class AzureTableStorageOptions : IStorageProviderSerializerOptions
{
    public const string DefaultTableName = "OrleansGrainState";

    /// <summary>The client to use. Set this or <see cref="ConnectionString"/>.</summary>
    public TableServiceClient? TableServiceClient { get; set; }

    /// <summary>
    /// A storage account connection string, used when <see cref="TableServiceClient"/> is not set; the
    /// client is then built with <see cref="ClientOptions"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Options of the client built from <see cref="ConnectionString"/>. The default retries transient
    /// failures (timeouts, throttling, 5xx, refused connections) three times with exponential backoff and
    /// gives up within about 15 seconds, well inside Orleans' 30-second call timeout, so the caller gets
    /// the storage error rather than a timeout.
    /// </summary>
    public TableClientOptions ClientOptions { get; set; } = CreateDefaultClientOptions();

    /// <summary>The table holding the states: 3 to 63 letters and digits, starting with a letter.</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>Whether clearing a state deletes its entity (true) or overwrites it with an empty one (false).</summary>
    public bool DeleteStateOnClear { get; set; }

    /// <summary>The silo lifecycle stage at which the table is created; storage is unusable before it.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>How long the silo keeps trying to create the table before its start fails.</summary>
    public TimeSpan CreationTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The pause between attempts to create the table.</summary>
    public TimeSpan PauseBetweenCreationRetries { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    internal TableServiceClient CreateClient() =>
        TableServiceClient ?? new TableServiceClient(ConnectionString, ClientOptions);

    private static TableClientOptions CreateDefaultClientOptions()
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(3);
        return options;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    internal static partial Regex TableNamePattern();
}

/// <summary>Checks the options of one provider when the silo starts.</summary>
internal sealed class AzureTableStorageOptionsValidator(AzureTableStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (options.TableServiceClient is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Fail("set TableServiceClient or ConnectionString.");
        }

        if (!AzureTableStorageOptions.TableNamePattern().IsMatch(options.TableName ?? ""))
        {
            Fail($"TableName '{options.TableName}' must be 3 to 63 letters and digits, starting with a letter.");
        }

        if (options.CreationTimeout <= TimeSpan.Zero || options.PauseBetweenCreationRetries <= TimeSpan.Zero)
        {
            Fail("CreationTimeout and PauseBetweenCreationRetries must be positive.");
        }
    }

    private void Fail(string problem) =>
        throw new OrleansConfigurationException($"Azure Table grain storage '{name}': {problem}");
}
