using GracefulDisconnect.Cli;

return await CliApp.RunAsync(args, CliIo.FromConsole()).ConfigureAwait(false);
