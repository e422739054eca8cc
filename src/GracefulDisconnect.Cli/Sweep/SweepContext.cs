using GracefulDisconnect.Aws;

namespace GracefulDisconnect.Cli.Sweep;

/// <summary>What one sweep works with and what it has found so far.</summary>
internal sealed class SweepContext(CliIo io, SweepInput input, IShadowReader reader, ISnsPublisher? publisher, NotificationFormatter formatter, TimeProvider time)
{
    public CliIo Io { get; } = io;

    public SweepInput Input { get; } = input;

    /// <summary>The confirmation source: <c>GetThingConnectivityData</c>.</summary>
    public IShadowReader Reader { get; } = reader;

    public ISnsPublisher? Publisher { get; } = publisher;

    public NotificationFormatter Formatter { get; } = formatter;

    public TimeProvider Time { get; } = time;

    /// <summary>The outages already published (<c>--store</c>), or null.</summary>
    public NotifiedOutages? Notified { get; set; }

    public SweepTally Tally { get; } = new();

    public int ExitCode { get; set; } = ExitCodes.Ok;

    /// <summary>A request failed: counted, and the sweep goes on but exits 1.</summary>
    public void Fail()
    {
        Tally.Failed++;
        ExitCode = ExitCodes.Failure;
    }
}
