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

    /// <summary>Every opt-in alert on, as <c>--recovery --remind-every 1h --remind-max 3 --flap 6/1h --digest 30s/10</c>.</summary>
    public static readonly GracefulDisconnectOptions AllAlerts = new()
    {
        Alerts =
        {
            NotifyRecovery = true,
            ReminderInterval = TimeSpan.FromHours(1),
            MaxReminders = 3,
            Flapping = new FlapThreshold(6, TimeSpan.FromHours(1)),
            Digest = new DigestThreshold(TimeSpan.FromSeconds(30), 10),
        },
    };

    public static void ReplayTo(FleetHistory history, Stream output) => ReplayTo(history, new GracefulDisconnectOptions(), output);

    public static void ReplayTo(FleetHistory history, GracefulDisconnectOptions alerts, Stream output)
    {
        using var writer = new JsonLinesDecisionWriter(output);
        history.Replay(Grace, alerts, writer);
    }

    public static void Run(byte[] jsonLines, Stream output) => ReplayTo(Load(jsonLines), output);
}
