using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>Each verdict replay can print, end to end through <c>CliApp</c>, with the exact output line.</summary>
public sealed class ReplayVerdictTests
{
    [Fact]
    public async Task Replay_DeviceStaysOffline_PrintsNotifyLineWithExactFieldsAndOrder()
    {
        var result = await InProcessCli.ReplayAsync(
            ["{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}"],
            "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "{\"thing\":\"t1\",\"verdict\":\"notify\",\"offlineSince\":\"2026-01-01T00:00:00.000Z\",\"decidedAt\":\"2026-01-01T00:05:00.000Z\",\"grace\":\"00:05:00\"}\n",
            result.StdOut);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task Replay_DeviceReconnectsWithinGrace_PrintsSkipReconnected()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), Up("t1", "00:01:00")], "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([Decision("t1", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00")], result.OutLines);
    }

    [Fact]
    public async Task Replay_NewerDisconnectWithinGrace_FirstIsSupersededAndTheNewerOneNotifies()
    {
        var result = await InProcessCli.ReplayAsync(
            [Down("t1", "00:00:00"), Up("t1", "00:01:00"), Down("t1", "00:02:00")],
            "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                Decision("t1", "skip-superseded", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t1", "notify", "00:02:00", "00:07:00", "00:05:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_SameDisconnectDeliveredTwice_SecondIsSkipDuplicate()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), Down("t1", "00:00:00")], "--grace", "5m");

        Assert.Equal(
            [
                Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t1", "skip-duplicate", "00:00:00", "00:05:00", "00:05:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_DuplicateRedeliveredAfterTheNotification_IsSkipDuplicateAtItsArrival()
    {
        var result = await InProcessCli.ReplayAsync(
            [Down("t1", "00:00:00"), Down("t1", "00:00:00", receivedAt: "00:30:00")],
            "--grace", "5m");

        Assert.Equal(
            [
                Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t1", "skip-duplicate", "00:00:00", "00:30:00", "00:05:00"),
            ],
            result.OutLines);
    }

    // The state source is every event whose time is at or before the virtual now, and a re-check is never
    // due before its own disconnect's time, so the trigger itself is always visible: replay cannot produce
    // skip-unknown. A disconnect delivered before its own time is the closest case; it is decided as usual.
    [Fact]
    public async Task Replay_DisconnectDeliveredBeforeItsOwnTime_IsDecidedAtItsDueTimeNotSkipUnknown()
    {
        var result = await InProcessCli.ReplayAsync(
            [Down("t1", "00:10:00", receivedAt: "00:00:00"), Down("t2", "00:10:00", receivedAt: "00:00:00"), Up("t2", "00:12:00")],
            "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                Decision("t1", "notify", "00:10:00", "00:15:00", "00:05:00"),
                Decision("t2", "skip-reconnected", "00:10:00", "00:15:00", "00:05:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_ThingWithOnlyConnects_PrintsNoDecision()
    {
        var result = await InProcessCli.ReplayAsync([Up("t1", "00:00:00"), Up("t1", "00:10:00")], "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task Replay_AllVerdictsInOneFleet_TableCountsEachAndNeverSkipUnknown()
    {
        var result = await InProcessCli.ReplayAsync(
            [
                Down("notified", "00:00:00"),
                Down("back", "00:00:00"), Up("back", "00:01:00"),
                Down("flappy", "00:00:00"), Up("flappy", "00:01:00"), Down("flappy", "00:02:00"),
                Down("twice", "00:00:00"), Down("twice", "00:00:00"),
                Down("early", "00:10:00", receivedAt: "00:00:00"),
            ],
            "--grace", "5m", "--output", "table");

        Assert.Equal(0, result.ExitCode);
        var row = TableParser.Rows(result.StdOut)[0];
        Assert.Equal("6", row["outages"]);
        Assert.Equal("4", row["notify"]);
        Assert.Equal("1", row["skip-reconnected"]);
        Assert.Equal("1", row["skip-superseded"]);
        Assert.Equal("1", row["skip-duplicate"]);
        Assert.Equal("0", row["skip-unknown"]);
    }
}
