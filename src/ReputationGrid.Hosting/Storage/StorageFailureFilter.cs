using Azure;
using ReputationGrid.Contracts;
using StackExchange.Redis;

namespace ReputationGrid.Hosting.Storage;

/// <summary>
/// Replaces a storage client's exception that leaves a grain call with a <see cref="StorageUnavailableException"/>
/// holding its message: the caller (a gateway, an Orleans client without storage assemblies) can read it and answers
/// 503, where the original exception's types could not be loaded there.
/// </summary>
internal sealed class StorageFailureFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? call : TranslateAsync(call);
    }

    /// <summary>Completes as <paramref name="call"/> does, with a storage failure replaced.</summary>
    internal static async Task TranslateAsync(Task call)
    {
        try
        {
            await call;
        }
        catch (Exception e) when (StorageFailure(e) is { } failure)
        {
            throw new StorageUnavailableException($"Storage failed: {failure.GetType().Name}: {failure.Message}");
        }
    }

    /// <summary>The storage client's exception in <paramref name="exception"/>'s chain, if any.</summary>
    internal static Exception? StorageFailure(Exception exception) => exception switch
    {
        RequestFailedException or RedisException or RedisTimeoutException => exception,
        AggregateException aggregate => aggregate.InnerExceptions.Select(StorageFailure).FirstOrDefault(e => e is not null),
        _ => exception.InnerException is { } inner ? StorageFailure(inner) : null,
    };
}
