using GracefulDisconnect.Cli.Replay;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Tests.Replay;

public sealed class GraceTableWriterTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_Summaries_AlignsColumnsAndFormatsDelays()
    {
        var short_ = new GraceSummary(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 1234; i++)
        {
            short_.OnDecision(new ReplayDecision($"t{i}", RecheckResult.SkippedReconnected, Start, Start.AddSeconds(30), short_.GracePeriod));
        }

        short_.OnDecision(new ReplayDecision("x", RecheckResult.Notified, Start, Start.AddSeconds(30.25), short_.GracePeriod));
        var long_ = new GraceSummary(TimeSpan.FromDays(2));
        long_.OnDecision(new ReplayDecision("y", RecheckResult.Notified, Start, Start.AddDays(2).AddHours(3), long_.GracePeriod));
        long_.OnDecision(new ReplayDecision("z", RecheckResult.SkippedUnknownThing, Start, Start.AddDays(2), long_.GracePeriod));
        var none = new GraceSummary(TimeSpan.FromMinutes(5));

        using var output = new StringWriter { NewLine = "\n" };
        GraceTableWriter.Write(output, [short_, long_, none]);

        Assert.Equal(
            """
            grace  outages  notify  skip-reconnected  skip-superseded  skip-unknown  skip-duplicate  median delay  p95 delay
            30s       1235       1              1234                0             0               0        30.25s     30.25s
            2d           2       1                 0                0             1               0         2d 3h      2d 3h
            5m           0       0                 0                0             0               0             -          -

            outages: distinct outages (a thing and the second it went offline) = notify + skip-reconnected + skip-superseded + skip-unknown.
            skip-duplicate: further re-checks of an outage already decided or over (a disconnect delivered twice or late).
            delay: from going offline to the notification - the grace, or longer when the disconnect arrived late.

            """,
            output.ToString());
    }
}
