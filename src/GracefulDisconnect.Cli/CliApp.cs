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

            await io.Error.WriteLineAsync($"Run '{HelpCommandFor(parsed.CommandResult)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using var output = new StreamWriter(io.Output, leaveOpen: true) { AutoFlush = true };
        var configuration = new InvocationConfiguration { Output = output, Error = io.Error, EnableDefaultExceptionHandler = true };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The command whose help answers the error: the sub-command the user was typing (its options are
    /// what they got wrong), or the tool itself when no sub-command was recognised.
    /// </summary>
    private static string HelpCommandFor(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? result = command; result is System.CommandLine.Parsing.CommandResult current; result = result.Parent)
        {
            names.Add(current.Command is RootCommand ? "gracefuldisconnect" : current.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
