using System.Diagnostics;
using Azure;
using Azure.Data.Tables;

namespace ReputationGrid.ChaosLoad;

/// <summary>What a <see cref="StorageFlood"/> did: writes stored and failed, and how long it ran.</summary>
public readonly record struct FloodFigures(long Written, long Failed, TimeSpan Elapsed)
{
    public double WrittenPerSecond => Elapsed > TimeSpan.Zero ? Written / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Writers that each upsert an entity of their own into a table of the flood's own, one write after another, until
/// stopped: enough of them saturate the table service, so that everything else written to it waits, times out and is
/// retried, as under a real storage overload. Nothing the service stores is touched.
/// </summary>
public sealed class StorageFlood(TableClient table, int writers, int entityBytes)
{
    private long _written;
    private long _failed;

    public async Task<FloodFigures> RunAsync(CancellationToken stop)
    {
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => WriteLoopAsync(writer, stop)));
        return new FloodFigures(Interlocked.Read(ref _written), Interlocked.Read(ref _failed), clock.Elapsed);
    }

    private async Task WriteLoopAsync(int writer, CancellationToken stop)
    {
        var entity = new TableEntity("flood", writer.ToString("D5", System.Globalization.CultureInfo.InvariantCulture))
        {
            ["Data"] = new byte[entityBytes],
        };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, stop);
                Interlocked.Increment(ref _written);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RequestFailedException or OperationCanceledException or TimeoutException)
            {
                // A write the saturated service refused or did not answer in time: counted, and the writer goes on.
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
