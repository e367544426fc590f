using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReputationGrid.Hosting.Tests;

/// <summary>A silo builder that only collects the services added to it, for tests of what a silo registers.</summary>
internal sealed class SiloBuilderStub : ISiloBuilder
{
    public IServiceCollection Services { get; } = new ServiceCollection();

    public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
}
