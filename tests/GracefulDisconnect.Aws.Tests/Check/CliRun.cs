using System.Text;
using System.Text.Json;
using GracefulDisconnect.Cli;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Check;

/// <summary>One in-process run of the command line, as a user would type it.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new MemoryStream();
        await using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await CliApp.RunAsync(args, new CliIo(Stream.Null, output, error), timeout.Token);
        return new CliRun(exitCode, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    public IReadOnlyList<JsonElement> JsonLines()
        => [.. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    public JsonElement SingleJsonLine() => Assert.Single(JsonLines());
}
