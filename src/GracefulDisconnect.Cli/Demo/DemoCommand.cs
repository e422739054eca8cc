using System.CommandLine;

namespace GracefulDisconnect.Cli.Demo;

internal static class DemoCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("demo", "Run a simulated flapping fleet through the engine, live, with no cloud.");
        command.SetAction((_, _) => Task.FromResult(0));
        return command;
    }
}
