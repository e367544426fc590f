await ReputationGrid.Silo.SiloHost.Create(args).RunAsync();
