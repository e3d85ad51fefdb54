using HotlineQA.Host.Cli;

return await CliApp.RunAsync(args);
