using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Evidence;
using ReputationGrid.Host;

if ((KeyCommand.TryRun(args, Console.Out, Console.Error) ?? EvidenceCommand.TryRun(args, Console.Out, Console.Error)) is { } exitCode)
{
    return exitCode;
}

await EmbeddedHost.Create(args).RunAsync();
return 0;
