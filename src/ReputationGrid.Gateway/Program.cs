using ReputationGrid.Api.Auth;
using ReputationGrid.Api.Evidence;

if ((KeyCommand.TryRun(args, Console.Out, Console.Error) ?? EvidenceCommand.TryRun(args, Console.Out, Console.Error)) is { } exitCode)
{
    return exitCode;
}

await ReputationGrid.Gateway.GatewayHost.Create(args).RunAsync();
return 0;
