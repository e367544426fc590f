using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using ReputationGrid.Hosting.Activations;

namespace ReputationGrid.Hosting.Tests;

/// <summary>Silos shed idle activations under memory pressure, as section <c>ActivationShedding</c> says, and refuse settings that make no sense.</summary>
public sealed class ActivationSheddingTests
{
    private static ServiceProvider Silo(Dictionary<string, string?> settings)
    {
        var silo = new SiloBuilderStub();
        silo.AddActivationShedding(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return silo.Services.BuildServiceProvider();
    }

    [Fact]
    public void Shedding_is_on_by_default_and_polls_every_second()
    {
        using var services = Silo([]);

        var collection = services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.True(collection.EnableActivationSheddingOnMemoryPressure);
        Assert.Equal(80, collection.MemoryUsageLimitPercentage);
        Assert.Equal(70, collection.MemoryUsageTargetPercentage);
        Assert.Equal(TimeSpan.FromSeconds(1), collection.MemoryUsagePollingPeriod);
    }

    [Fact]
    public void The_section_sets_orleans_grain_collection()
    {
        using var services = Silo(new()
        {
            ["ActivationShedding:Enabled"] = "false",
            ["ActivationShedding:MemoryLimitPercentage"] = "60",
            ["ActivationShedding:MemoryTargetPercentage"] = "40",
            ["ActivationShedding:PollingPeriod"] = "00:00:02",
        });

        var collection = services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.False(collection.EnableActivationSheddingOnMemoryPressure);
        Assert.Equal(60, collection.MemoryUsageLimitPercentage);
        Assert.Equal(40, collection.MemoryUsageTargetPercentage);
        Assert.Equal(TimeSpan.FromSeconds(2), collection.MemoryUsagePollingPeriod);
    }

    [Theory]
    [InlineData("100", "70", "00:00:01", "ActivationShedding:MemoryLimitPercentage must be from 10 to 99; it is 100.")]
    [InlineData("80", "80", "00:00:01", "ActivationShedding:MemoryTargetPercentage must be at least 5 and below MemoryLimitPercentage; it is 80.")]
    [InlineData("80", "70", "00:00:00.010", "ActivationShedding:PollingPeriod must be from 100 ms to 1 minute; it is 00:00:00.0100000.")]
    public void Settings_that_make_no_sense_stop_the_silo(string limit, string target, string polling, string message)
    {
        using var services = Silo(new()
        {
            ["ActivationShedding:MemoryLimitPercentage"] = limit,
            ["ActivationShedding:MemoryTargetPercentage"] = target,
            ["ActivationShedding:PollingPeriod"] = polling,
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ActivationSheddingOptions>>().Value);

        Assert.Equal([message], error.Failures);
    }
}
