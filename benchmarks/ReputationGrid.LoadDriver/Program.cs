using ReputationGrid.LoadDriver;

// The driver starts copies of itself: a server of the benchmark, or a load generator for one run.
return args switch
{
    ["--serve", var kind, var controlUrl, var redisServer, .. var serverArgs] => await ServerMode.RunAsync(kind, controlUrl, redisServer, serverArgs),
    ["--load", var run] => await LoadProcess.RunAsync(run),
    _ => await DriverCommand.Create().Parse(args).InvokeAsync(),
};
