using GracefulDisconnect.Cli.Replay;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Benchmarks;

/// <summary>The CLI's own replay path (<c>replay - --grace 5m --output jsonl</c>), minus the process and the file.</summary>
internal static class ReplayPipeline
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    public static FleetHistory Load(byte[] jsonLines)
    {
        using var input = new MemoryStream(jsonLines, writable: false);
        return ReplayCommand.LoadAsync(input, TextWriter.Null, skipInvalid: false, CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("the synthetic input has a malformed line");
    }

    public static void ReplayTo(FleetHistory history, Stream output)
    {
        using var writer = new JsonLinesDecisionWriter(output);
        history.Replay(Grace, writer);
    }

    public static void Run(byte[] jsonLines, Stream output) => ReplayTo(Load(jsonLines), output);
}
