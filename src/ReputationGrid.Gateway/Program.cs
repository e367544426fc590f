await ReputationGrid.Gateway.GatewayHost.Create(args).RunAsync();
