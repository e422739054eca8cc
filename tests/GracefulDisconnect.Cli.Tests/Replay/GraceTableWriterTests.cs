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
            grace       outages  notify  skip-reconnected  skip-superseded  skip-duplicate  skip-unknown  median delay     p95 delay
            00:00:30       1235       1              1234                0               0             0  00:00:30.250  00:00:30.250
            2.00:00:00        2       1                 0                0               0             1    2.03:00:00    2.03:00:00
            00:05:00          0       0                 0                0               0             0             -             -

            outages: distinct disconnects re-checked; delay: from going offline to the notification.

            """,
            output.ToString());
    }
}
