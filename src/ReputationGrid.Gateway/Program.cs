using ReputationGrid.Api.Auth;

if (KeyCommand.TryRun(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

await ReputationGrid.Gateway.GatewayHost.Create(args).RunAsync();
return 0;
