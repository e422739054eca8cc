using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>Virtual time: late, out-of-order and duplicate delivery, version ordering, resolution, boundaries.</summary>
public sealed class ReplayTimingTests
{
    [Fact]
    public async Task Replay_DisconnectArrivesAfterTheGrace_IsDecidedOnArrival()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00", receivedAt: "00:12:34.500")], "--grace", "5m");

        Assert.Equal(Decision("t1", "notify", "00:00:00", "00:12:34.500", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_DisconnectArrivesLateButWithinTheGrace_IsDecidedAtItsDueTime()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00", receivedAt: "00:03:00")], "--grace", "5m");

        Assert.Equal(Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_DisconnectArrivesAfterTheDeviceCameBack_IsSkipReconnectedOnArrival()
    {
        var result = await InProcessCli.ReplayAsync(
            [Up("t1", "00:10:00"), Down("t1", "00:00:00", receivedAt: "00:20:00")],
            "--grace", "5m");

        Assert.Equal(Decision("t1", "skip-reconnected", "00:00:00", "00:20:00", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_ReconnectNotYetDelivered_IsStillSeenByTheStateSource()
    {
        // The monitor has not received the connect by the re-check, but the state source (the shadow) has it.
        var result = await InProcessCli.ReplayAsync(
            [Down("t1", "00:00:00"), Up("t1", "00:02:00", receivedAt: "00:30:00")],
            "--grace", "5m");

        Assert.Equal(Decision("t1", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_OutOfOrderDelivery_DecidesByEventTimeWhateverTheFileOrder()
    {
        string[] inOrder =
        [
            Down("t1", "00:00:00", receivedAt: "00:00:00"),
            Up("t1", "00:01:00", receivedAt: "00:01:00"),
            Down("t1", "00:02:00", receivedAt: "00:02:00"),
        ];
        string[] shuffled =
        [
            Down("t1", "00:02:00", receivedAt: "00:02:00"),
            Up("t1", "00:01:00", receivedAt: "00:01:00"),
            Down("t1", "00:00:00", receivedAt: "00:00:00"),
        ];
        string[] reordered =
        [
            // Arrives in the opposite order it happened.
            Down("t1", "00:02:00", receivedAt: "00:02:10"),
            Up("t1", "00:01:00", receivedAt: "00:02:20"),
            Down("t1", "00:00:00", receivedAt: "00:02:30"),
        ];

        var a = await InProcessCli.ReplayAsync(inOrder, "--grace", "5m");
        var b = await InProcessCli.ReplayAsync(shuffled, "--grace", "5m");
        var c = await InProcessCli.ReplayAsync(reordered, "--grace", "5m");

        string[] expected =
        [
            Decision("t1", "skip-superseded", "00:00:00", "00:05:00", "00:05:00"),
            Decision("t1", "notify", "00:02:00", "00:07:00", "00:05:00"),
        ];
        Assert.Equal(expected, a.OutLines);
        Assert.Equal(expected, b.OutLines);
        Assert.Equal(expected, c.OutLines);
    }

    [Fact]
    public async Task Replay_LifecycleConnectWithHigherVersionAtTheSameMillisecond_WinsOverTheDisconnect()
    {
        string[] connectFirst = [Lifecycle("t1", true, "00:00:00.250", versionNumber: 4), Lifecycle("t1", false, "00:00:00.250", versionNumber: 3)];
        string[] disconnectFirst = [Lifecycle("t1", false, "00:00:00.250", versionNumber: 3), Lifecycle("t1", true, "00:00:00.250", versionNumber: 4)];

        var a = await InProcessCli.ReplayAsync(connectFirst, "--grace", "5m");
        var b = await InProcessCli.ReplayAsync(disconnectFirst, "--grace", "5m");

        var expected = Decision("t1", "skip-reconnected", "00:00:00.250", "00:05:00.250", "00:05:00");
        Assert.Equal(expected, Assert.Single(a.OutLines));
        Assert.Equal(expected, Assert.Single(b.OutLines));
    }

    [Fact]
    public async Task Replay_LifecycleDisconnectWithHigherVersionAtTheSameMillisecond_WinsOverTheConnect()
    {
        string[] events = [Lifecycle("t1", false, "00:00:00.250", versionNumber: 5), Lifecycle("t1", true, "00:00:00.250", versionNumber: 4)];

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m");

        Assert.Equal(Decision("t1", "notify", "00:00:00.250", "00:05:00.250", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_ConnectAndDisconnectOfTheSameVersionAtTheSameMillisecond_DisconnectIsLater()
    {
        string[] disconnectFirst = [Lifecycle("t1", false, "00:00:00.250", versionNumber: 3), Lifecycle("t1", true, "00:00:00.250", versionNumber: 3)];
        string[] connectFirst = [Lifecycle("t1", true, "00:00:00.250", versionNumber: 3), Lifecycle("t1", false, "00:00:00.250", versionNumber: 3)];

        var a = await InProcessCli.ReplayAsync(disconnectFirst, "--grace", "5m");
        var b = await InProcessCli.ReplayAsync(connectFirst, "--grace", "5m");

        var expected = Decision("t1", "notify", "00:00:00.250", "00:05:00.250", "00:05:00");
        Assert.Equal(expected, Assert.Single(a.OutLines));
        Assert.Equal(expected, Assert.Single(b.OutLines));
    }

    [Fact]
    public async Task Replay_VersionResetAfterALongOutage_TimeStillOrdersTheEvents()
    {
        // Offline for two hours: the reconnect starts again at version 0, below the disconnect's 7.
        string[] events = [Lifecycle("t1", false, "00:00:00.000", versionNumber: 7), Lifecycle("t1", true, "02:00:00.000", versionNumber: 0)];

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m", "--grace", "3h");

        Assert.Equal(
            [
                Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t1", "skip-reconnected", "00:00:00", "03:00:00", "03:00:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_VersionResetThenNewDisconnect_OldOutageIsSupersededNewOneNotifies()
    {
        string[] events =
        [
            Lifecycle("t1", false, "00:00:00.000", versionNumber: 7),
            Lifecycle("t1", true, "02:00:00.000", versionNumber: 0),
            Lifecycle("t1", false, "02:10:00.000", versionNumber: 0),
        ];

        var result = await InProcessCli.ReplayAsync(events, "--grace", "3h");

        Assert.Equal(
            [
                Decision("t1", "skip-superseded", "00:00:00", "03:00:00", "03:00:00"),
                Decision("t1", "notify", "02:10:00", "05:10:00", "03:00:00"),
            ],
            result.OutLines);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Replay_SameDisconnectInMillisecondsAndSeconds_NotifiesOnce(bool lifecycleFirst)
    {
        var lifecycle = Lifecycle("t1", false, "00:00:00.451", versionNumber: 3);
        var rule = Rule("t1", false, "00:00:00");

        var result = await InProcessCli.ReplayAsync(lifecycleFirst ? [lifecycle, rule] : [rule, lifecycle], "--grace", "5m");

        // The rule output is due at 00:05:00.000, before the lifecycle event's 00:05:00.451.
        Assert.Equal(
            [
                Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t1", "skip-duplicate", "00:00:00.451", "00:05:00.451", "00:05:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_SameDisconnectInMillisecondsAndSeconds_TableCountsOneOutage()
    {
        var result = await InProcessCli.ReplayAsync(
            [Lifecycle("t1", false, "00:00:00.451", versionNumber: 3), Rule("t1", false, "00:00:00")],
            "--grace", "5m", "--output", "table");

        var row = Assert.Single(TableParser.Rows(result.StdOut));
        Assert.Equal("1", row["outages"]);
        Assert.Equal("1", row["notify"]);
        Assert.Equal("1", row["skip-duplicate"]);
    }

    [Fact]
    public async Task Replay_FlappingFasterThanTheGrace_NeverNotifies()
    {
        var events = new List<string>();
        for (var minute = 0; minute < 30; minute += 2)
        {
            events.Add(Down("flappy", $"00:{minute:00}:00"));
            events.Add(Up("flappy", $"00:{minute:00}:40"));
        }

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m");

        Assert.Equal(15, result.OutLines.Length);
        Assert.All(result.OutLines, line => Assert.Contains("\"verdict\":\"skip-reconnected\"", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_FlappingThenStaysDown_NotifiesOnlyTheLastOutage()
    {
        var events = new List<string>
        {
            Down("t1", "00:00:00"), Up("t1", "00:01:00"),
            Down("t1", "00:02:00"), Up("t1", "00:02:30"),
            Down("t1", "00:03:00"),
        };

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m");

        Assert.Equal(
            [
                Decision("t1", "skip-superseded", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t1", "skip-superseded", "00:02:00", "00:07:00", "00:05:00"),
                Decision("t1", "notify", "00:03:00", "00:08:00", "00:05:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_OutageExactlyAsLongAsTheGrace_IsNotNotified()
    {
        // The reconnect at exactly offlineSince + grace is visible to the re-check at that instant.
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), Up("t1", "00:05:00")], "--grace", "5m");

        Assert.Equal(Decision("t1", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_OutageExactlyAsLongAsTheGraceWithTheReconnectDeliveredLate_IsNotNotified()
    {
        var result = await InProcessCli.ReplayAsync(
            [Down("t1", "00:00:00"), Up("t1", "00:05:00", receivedAt: "00:09:00")],
            "--grace", "5m");

        Assert.Equal(Decision("t1", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_OutageOneMillisecondLongerThanTheGrace_IsNotified()
    {
        var result = await InProcessCli.ReplayAsync(
            [Lifecycle("t1", false, "00:00:00.000", 1), Lifecycle("t1", true, "00:05:00.001", 2)],
            "--grace", "5m");

        Assert.Equal(Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"), Assert.Single(result.OutLines));
    }
}
