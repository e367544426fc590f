using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ReputationGrid.Contracts;

namespace ReputationGrid.Api.Tests;

/// <summary>The gateway tells an unavailable cluster or storage (503) from a failure (500) with Orleans' types only.</summary>
public sealed class GrainFailuresTests
{
    [Fact]
    public void A_storage_failure_as_a_gateway_receives_it_is_transient()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new StorageUnavailableException("Storage failed: RequestFailedException: Service Unavailable")));

        Assert.IsType<StorageUnavailableException>(received);
        Assert.True(GrainFailures.IsTransient(received));
    }

    [Fact]
    public void Timeouts_and_Orleans_failures_are_transient_and_other_failures_are_not()
    {
        Assert.True(GrainFailures.IsTransient(new TimeoutException()));
        Assert.True(GrainFailures.IsTransient(new InvalidOperationException("wrapped", new SiloUnavailableException())));
        Assert.False(GrainFailures.IsTransient(new InvalidOperationException("a bug")));
    }
}
