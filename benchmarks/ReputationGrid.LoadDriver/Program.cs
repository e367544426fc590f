using ReputationGrid.LoadDriver;

return await DriverCommand.Create().Parse(args).InvokeAsync();
