using System.Text.Json;
using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>The jsonl output: timestamps, grace formatting, decision order, several grace periods.</summary>
public sealed class ReplayOutputTests
{
    [Theory]
    [InlineData("90s", "00:01:30")]
    [InlineData("5m", "00:05:00")]
    [InlineData("2h", "02:00:00")]
    [InlineData("1d", "1.00:00:00")]
    [InlineData("00:05:00", "00:05:00")]
    [InlineData("1.00:00:00", "1.00:00:00")]
    [InlineData("1s", "00:00:01")]
    public async Task Replay_GraceWrittenAnyWay_IsPrintedInConstantTimeSpanFormat(string grace, string printed)
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00")], "--grace", grace);

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.OutLines);
        Assert.EndsWith($",\"grace\":\"{printed}\"}}", line, StringComparison.Ordinal);
        var decidedAt = JsonDocument.Parse(line).RootElement.GetProperty("decidedAt").GetString();
        Assert.Equal(Out(Day + TimeSpan.Parse(printed, System.Globalization.CultureInfo.InvariantCulture)), decidedAt);
    }

    [Fact]
    public async Task Replay_OneDayGrace_DecidesTheNextDay()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00")], "--grace", "1d");

        Assert.Equal(
            "{\"thing\":\"t1\",\"verdict\":\"notify\",\"offlineSince\":\"2026-01-01T00:00:00.000Z\",\"decidedAt\":\"2026-01-02T00:00:00.000Z\",\"grace\":\"1.00:00:00\"}",
            Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_MillisecondTimestamps_ArePrintedWithMilliseconds()
    {
        var result = await InProcessCli.ReplayAsync([Lifecycle("t1", false, "00:00:00.451")], "--grace", "5m");

        Assert.Equal(Decision("t1", "notify", "00:00:00.451", "00:05:00.451", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_SubMillisecondAndOffsetTimestamps_ArePrintedInUtcTruncatedToMilliseconds()
    {
        var result = await InProcessCli.ReplayAsync(
            ["{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T02:00:00.1239999+02:00\"}"],
            "--grace", "5m");

        Assert.Equal(Decision("t1", "notify", "00:00:00.123", "00:05:00.123", "00:05:00"), Assert.Single(result.OutLines));
    }

    [Fact]
    public async Task Replay_ThingNameNeedingEscapes_IsWrittenAsValidJson()
    {
        var result = await InProcessCli.ReplayAsync(
            ["{\"thing\":\"pump \\\"7\\\" \\\\ caf\\u00e9\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}"],
            "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.OutLines);
        Assert.Equal("pump \"7\" \\ café", JsonDocument.Parse(line).RootElement.GetProperty("thing").GetString());
    }

    [Fact]
    public async Task Replay_SeveralThings_DecisionsComeInDueTimeOrderAndTiesKeepArrivalOrder()
    {
        var result = await InProcessCli.ReplayAsync(
            [
                Down("late", "00:00:00", receivedAt: "00:20:00"),
                Down("b", "00:01:00"),
                Down("a", "00:01:00"),
                Down("first", "00:00:30"),
                Down("c", "00:01:00"),
            ],
            "--grace", "5m");

        // Arrival order: late is received last; first (00:00:30) before b, a, c (00:01:00, in file order).
        Assert.Equal(
            [
                Decision("first", "notify", "00:00:30", "00:05:30", "00:05:00"),
                Decision("b", "notify", "00:01:00", "00:06:00", "00:05:00"),
                Decision("a", "notify", "00:01:00", "00:06:00", "00:05:00"),
                Decision("c", "notify", "00:01:00", "00:06:00", "00:05:00"),
                Decision("late", "notify", "00:00:00", "00:20:00", "00:05:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_SeveralGracePeriods_RunsEachInTurnInCommandLineOrder()
    {
        string[] events = [Down("t1", "00:00:00"), Up("t1", "00:03:00"), Down("t2", "00:00:00"), Up("t2", "00:20:00")];

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m", "--grace", "1m", "--grace", "1h");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                Decision("t1", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t2", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Decision("t1", "notify", "00:00:00", "00:01:00", "00:01:00"),
                Decision("t2", "notify", "00:00:00", "00:01:00", "00:01:00"),
                Decision("t1", "skip-reconnected", "00:00:00", "01:00:00", "01:00:00"),
                Decision("t2", "skip-reconnected", "00:00:00", "01:00:00", "01:00:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_SameGraceTwice_RepeatsTheSameDecisions()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), Down("t1", "00:00:00")], "--grace", "5m", "--grace", "5m");

        Assert.Equal(4, result.OutLines.Length);
        Assert.Equal(result.OutLines[..2], result.OutLines[2..]);
        Assert.Equal("notify", JsonDocument.Parse(result.OutLines[2]).RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Replay_DueTimeBeyondTheEndOfTime_IsDecidedAtTheLastRepresentableInstant()
    {
        var result = await InProcessCli.ReplayAsync(
            ["{\"thing\":\"t1\",\"connected\":false,\"at\":\"9999-12-31T23:00:00Z\"}", "{\"thing\":\"t2\",\"connected\":false,\"at\":\"0001-01-01T00:00:00Z\"}"],
            "--grace", "1d");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "{\"thing\":\"t2\",\"verdict\":\"notify\",\"offlineSince\":\"0001-01-01T00:00:00.000Z\",\"decidedAt\":\"0001-01-02T00:00:00.000Z\",\"grace\":\"1.00:00:00\"}",
                "{\"thing\":\"t1\",\"verdict\":\"notify\",\"offlineSince\":\"9999-12-31T23:00:00.000Z\",\"decidedAt\":\"9999-12-31T23:59:59.999Z\",\"grace\":\"1.00:00:00\"}",
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_SpacesAndTabsAroundTheObject_AreAccepted()
    {
        var result = await InProcessCli.RunAsync(" \t" + Down("t1", "00:00:00") + "\t  \r\n", "replay", "-", "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00")], result.OutLines);
    }

    [Fact]
    public async Task Replay_EmptyInput_ExitsZeroWithNoOutput()
    {
        var result = await InProcessCli.RunAsync(string.Empty, "replay", "-", "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task Replay_OnlyBlankLines_ExitsZeroWithNoOutput()
    {
        var result = await InProcessCli.RunAsync("\n\r\n   \n\t\n", "replay", "-", "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task Replay_ManyDecisions_EveryLineIsCompleteJson()
    {
        var events = Enumerable.Range(0, 5000).Select(i => Down($"thing-{i}", "00:00:00"));

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m", "--grace", "10m");

        Assert.Equal(10_000, result.OutLines.Length);
        foreach (var line in result.OutLines)
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal("notify", document.RootElement.GetProperty("verdict").GetString());
        }
    }

    [Fact]
    public async Task Replay_FromAFile_PrintsTheSameAsFromStdin()
    {
        string[] events = [Down("t1", "00:00:00"), Up("t1", "00:01:00"), Down("t2", "00:00:00")];
        using var file = TempFile.WithLines(events);

        var fromFile = await InProcessCli.RunWithoutInputAsync("replay", file.Path, "--grace", "5m");
        var fromStdin = await InProcessCli.ReplayAsync(events, "--grace", "5m");

        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(2, fromFile.OutLines.Length);
        Assert.Equal(fromStdin.StdOut, fromFile.StdOut);
    }
}
