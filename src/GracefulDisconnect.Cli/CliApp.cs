using System.CommandLine;
using GracefulDisconnect.Cli.Demo;
using GracefulDisconnect.Cli.Replay;

namespace GracefulDisconnect.Cli;

/// <summary>The <c>gracefuldisconnect</c> command line: parses, reports usage errors with exit code 2, runs a command.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("GracefulDisconnect: be told when an IoT device is really offline, not every time it blinks.")
        {
            DemoCommand.Create(io),
            ReplayCommand.Create(io),
            Check.CheckCommand.Create(io),
            Sweep.SweepCommand.Create(io),
            Run.RunCommand.Create(io),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await io.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await io.Error.WriteLineAsync("Run 'gracefuldisconnect --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using var output = new StreamWriter(io.Output, leaveOpen: true) { AutoFlush = true };
        var configuration = new InvocationConfiguration { Output = output, Error = io.Error, EnableDefaultExceptionHandler = true };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
