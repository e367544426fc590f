using ReputationGrid.Host;

await EmbeddedHost.Create(args).RunAsync();
