using System.Text;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>Runs <see cref="CliApp"/> in process, with memory streams for stdin and stdout and a writer for stderr.</summary>
internal static class InProcessCli
{
    public static Task<CliResult> RunWithoutInputAsync(params string[] args) => RunAsync(Array.Empty<byte>(), args);

    public static Task<CliResult> RunAsync(string stdin, params string[] args) => RunAsync(Encoding.UTF8.GetBytes(stdin), args);

    public static async Task<CliResult> RunAsync(byte[] stdin, params string[] args)
    {
        using var input = new MemoryStream(stdin, writable: false);
        using var output = new MemoryStream();
        using var error = new StringWriter { NewLine = "\n" };
        var exitCode = await CliApp.RunAsync(args, new CliIo(input, output, error));
        return new CliResult(exitCode, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    /// <summary>Runs <c>replay - [options]</c> with the given lines on stdin, each ended by <c>\n</c>.</summary>
    public static Task<CliResult> ReplayAsync(IEnumerable<string> lines, params string[] options)
        => RunAsync(string.Concat(lines.Select(line => line + "\n")), ["replay", "-", .. options]);
}
