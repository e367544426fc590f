using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace ReputationGrid.Persistence.AzureTable;

/// <summary>
/// Orleans grain storage in an Azure Table, one entity per grain state (see <see cref="StateEntityLayout"/>),
/// with ETag optimistic concurrency: a write or clear whose ETag is stale throws
/// <see cref="InconsistentStateException"/> and changes nothing. Transient failures are retried by the
/// Azure client; what still fails reaches the caller, so no write is lost silently.
/// </summary>
public sealed partial class AzureTableGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly AzureTableStorageOptions _options;
    private readonly string _serviceId;
    private readonly IActivatorProvider _activators;
    private readonly ILogger<AzureTableGrainStorage> _logger;
    private TableClient? _table;

    public AzureTableGrainStorage(
        string name,
        AzureTableStorageOptions options,
        IOptions<ClusterOptions> cluster,
        IActivatorProvider activators,
        ILogger<AzureTableGrainStorage> logger)
    {
        _name = name;
        _options = options;
        _serviceId = cluster.Value.ServiceId;
        _activators = activators;
        _logger = logger;
    }

    private TableClient Table =>
        _table ?? throw new InvalidOperationException($"Azure Table grain storage '{_name}' is used before the silo started it.");

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(AzureTableGrainStorage)}-{_name}", _options.InitStage, InitializeAsync);

    /// <summary>Creates the table, retrying until <see cref="AzureTableStorageOptions.CreationTimeout"/>: storage may start after the silo.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var table = _options.CreateClient().GetTableClient(_options.TableName);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await table.CreateIfNotExistsAsync(cancellationToken);
                _table = table;
                LogInitialized(_name, _options.TableName, attempt);
                return;
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                if (Stopwatch.GetElapsedTime(started) + _options.PauseBetweenCreationRetries > _options.CreationTimeout)
                {
                    throw new OrleansConfigurationException(
                        $"Azure Table grain storage '{_name}' could not create table '{_options.TableName}' within {_options.CreationTimeout} ({attempt} attempts): {e.Message}",
                        e);
                }

                LogCreationRetry(e, _name, _options.TableName, attempt);
                await Task.Delay(_options.PauseBetweenCreationRetries, cancellationToken);
            }
        }
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partitionKey, rowKey) = Keys(stateName, grainId);
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey);
        if (!response.HasValue || response.Value is not { } entity)
        {
            Reset(grainState, etag: null);
            return;
        }

        if (StateEntityLayout.ReadData(entity) is not { } data)
        {
            Reset(grainState, entity.ETag.ToString()); // cleared without deleting
            return;
        }

        grainState.State = _options.GrainStorageSerializer.Deserialize<T>(new BinaryData(data));
        grainState.ETag = entity.ETag.ToString();
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partitionKey, rowKey) = Keys(stateName, grainId);
        var entity = new TableEntity(partitionKey, rowKey);
        StateEntityLayout.WriteData(entity, _options.GrainStorageSerializer.Serialize(grainState.State).ToMemory());
        grainState.ETag = await PutAsync(entity, grainState.ETag, stateName, grainId);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partitionKey, rowKey) = Keys(stateName, grainId);
        string? etag = null;
        if (!_options.DeleteStateOnClear)
        {
            etag = await PutAsync(new TableEntity(partitionKey, rowKey), grainState.ETag, stateName, grainId);
        }
        else if (grainState.ETag is { } current)
        {
            // Without an ETag this activation never saw a stored state, so there is nothing of its own to delete.
            await ConditionallyAsync(() => Table.DeleteEntityAsync(partitionKey, rowKey, new ETag(current)), current, stateName, grainId);
        }

        Reset(grainState, etag);
    }

    /// <summary>Adds the entity when there is no ETag, else replaces it if the ETag still matches. Returns the new ETag.</summary>
    private async Task<string?> PutAsync(TableEntity entity, string? etag, string stateName, GrainId grainId)
    {
        var response = await ConditionallyAsync(
            () => etag is null
                ? Table.AddEntityAsync(entity)
                : Table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace),
            etag,
            stateName,
            grainId);
        return response.Headers.ETag?.ToString();
    }

    private async Task<Response> ConditionallyAsync(Func<Task<Response>> operation, string? etag, string stateName, GrainId grainId)
    {
        try
        {
            return await operation();
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412 && e.ErrorCode != "TableNotFound")
        {
            // 404: the entity was deleted meanwhile; 409: created meanwhile; 412: changed meanwhile.
            throw new InconsistentStateException(
                $"State '{stateName}' of {grainId} in table '{_options.TableName}' changed since it was read (ETag {etag ?? "none"}); nothing was written.",
                storedEtag: null,
                currentEtag: etag,
                e);
        }
    }

    private (string PartitionKey, string RowKey) Keys(string stateName, GrainId grainId) =>
        (StateEntityLayout.PartitionKey(_serviceId, grainId), StateEntityLayout.RowKey(stateName));

    private void Reset<T>(IGrainState<T> grainState, string? etag)
    {
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = etag;
        grainState.RecordExists = false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Azure Table grain storage {Name} is ready: table {Table} exists (attempt {Attempt}).")]
    private partial void LogInitialized(string name, string table, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure Table grain storage {Name} could not create table {Table} (attempt {Attempt}); retrying.")]
    private partial void LogCreationRetry(Exception exception, string name, string table, int attempt);
}
