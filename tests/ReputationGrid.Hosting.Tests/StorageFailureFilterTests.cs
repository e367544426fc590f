using Azure;
using ReputationGrid.Contracts;
using ReputationGrid.Hosting.Storage;
using StackExchange.Redis;

namespace ReputationGrid.Hosting.Tests;

/// <summary>A storage client's exception never leaves a grain call: a gateway could not load its types.</summary>
public sealed class StorageFailureFilterTests
{
    public static TheoryData<Exception> StorageFailures() =>
    [
        new OrleansException("Error from storage provider", new RequestFailedException(503, "Service Unavailable")),
        new RequestFailedException(0, "Connection refused", new HttpRequestException("refused")),
        new AggregateException(new InvalidOperationException("other"), new RedisConnectionException(ConnectionFailureType.UnableToConnect, "no redis")),
    ];

    [Theory]
    [MemberData(nameof(StorageFailures))]
    public async Task A_storage_failure_leaves_as_StorageUnavailableException_without_storage_types(Exception failure)
    {
        var thrown = await Assert.ThrowsAsync<StorageUnavailableException>(() => StorageFailureFilter.TranslateAsync(Task.FromException(failure)));

        Assert.Null(thrown.InnerException);
        Assert.Contains("Exception: ", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_failures_leave_unchanged()
    {
        var failure = new InvalidOperationException("a bug");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => StorageFailureFilter.TranslateAsync(Task.FromException(failure)));

        Assert.Same(failure, thrown);
    }
}
