using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary><c>--output table</c>: the tuner's summary per grace period.</summary>
public sealed class ReplayTableTests
{
    private static readonly string[] Columns =
        ["grace", "outages", "notify", "skip-reconnected", "skip-superseded", "skip-unknown", "skip-duplicate", "median delay", "p95 delay"];

    // a: down 10 min; b: down 2 min; c: flaps then down 40 min; d: disconnect delivered twice, the second
    // 25 minutes late; e: disconnect delivered 20 minutes late; f: never comes back.
    private static readonly string[] Fleet =
    [
        Down("a", "00:00:00"), Up("a", "00:10:00"),
        Down("b", "00:00:00"), Up("b", "00:02:00"),
        Down("c", "00:00:00"), Up("c", "00:00:30"), Down("c", "00:01:00"), Up("c", "00:41:00"),
        Down("d", "00:00:00"), Down("d", "00:00:00", receivedAt: "00:25:00"),
        Down("e", "00:00:00", receivedAt: "00:20:00"),
        Down("f", "00:00:00"),
    ];

    [Fact]
    public async Task Replay_Table_HasTheColumnsInOrderAndOneRowPerGraceInCommandLineOrder()
    {
        var result = await InProcessCli.ReplayAsync(Fleet, "--grace", "5m", "--grace", "1m", "--grace", "1h", "--output", "table");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal(Columns, TableParser.Header(result.StdOut));
        var rows = TableParser.Rows(result.StdOut);
        Assert.Equal(["5m", "1m", "1h"], rows.Select(row => row["grace"]));
        Assert.Contains("\n\noutages: distinct outages (a thing and the second it went offline) = notify + skip-reconnected + skip-superseded + skip-unknown.\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\nskip-duplicate: ", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_Table_CountsOutagesVerdictsAndDelaysPerGrace()
    {
        var rows = TableParser.Rows((await InProcessCli.ReplayAsync(Fleet, "--grace", "5m", "--grace", "1m", "--grace", "1h", "--output", "table")).StdOut);

        // 5m: a notify 5m, b reconnected, c superseded + notify (00:01 → 00:06, 5m), d notify 5m + duplicate,
        // e notify at arrival (20m), f notify 5m. Delays 5,5,5,5,20 → median 5m, p95 (rank 5 of 5) 20m.
        AssertRow(rows[0], "5m", outages: 7, notify: 5, reconnected: 1, superseded: 1, duplicate: 1, median: "5m", p95: "20m");

        // 1m: b notify too (down 2 min); c superseded at 00:01 (its new disconnect is at 00:01, visible then).
        // Delays 1,1,1,1,1,20 → median 1m, p95 20m.
        AssertRow(rows[1], "1m", outages: 7, notify: 6, reconnected: 0, superseded: 1, duplicate: 1, median: "1m", p95: "20m");

        // 1h: only d, e, f stay down; a, b reconnected; c is connected again at both its re-checks (01:00,
        // 01:01), and connected wins over superseded. Delays 1h, 1h, 1h (e arrives at 00:20, due at 01:00).
        AssertRow(rows[2], "1h", outages: 7, notify: 3, reconnected: 4, superseded: 0, duplicate: 1, median: "1h", p95: "1h");
    }

    [Fact]
    public async Task Replay_TableWithoutNotifications_ShowsDashForDelays()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), Up("t1", "00:01:00")], "--grace", "5m", "--output", "table");

        var row = Assert.Single(TableParser.Rows(result.StdOut));
        AssertRow(row, "5m", outages: 1, notify: 0, reconnected: 1, superseded: 0, duplicate: 0, median: "-", p95: "-");
    }

    [Fact]
    public async Task Replay_TableOfEmptyInput_ShowsZeroRowPerGrace()
    {
        var result = await InProcessCli.RunAsync(string.Empty, "replay", "-", "--grace", "5m", "--grace", "1d", "--output", "table");

        Assert.Equal(0, result.ExitCode);
        var rows = TableParser.Rows(result.StdOut);
        AssertRow(rows[0], "5m", 0, 0, 0, 0, 0, "-", "-");
        AssertRow(rows[1], "1d", 0, 0, 0, 0, 0, "-", "-");
    }

    [Fact]
    public async Task Replay_TableDurations_AreWrittenLikeTheOptionsWithPartsWhenNoSingleUnitFits()
    {
        var result = await InProcessCli.ReplayAsync(
            [Down("t1", "00:00:00"), Lifecycle("t2", false, "00:00:00.250"), Down("t3", "00:00:00", receivedAt: "1.02:03:04.500")],
            "--grace", "1d", "--output", "table");

        var row = Assert.Single(TableParser.Rows(result.StdOut));
        Assert.Equal("1d", row["grace"]);
        Assert.Equal("1d", row["median delay"]);
        Assert.Equal("1d 2h 3m 4.5s", row["p95 delay"]);
    }

    [Fact]
    public async Task Replay_TablePercentiles_UseTheNearestRank()
    {
        // Twenty notifications with delays of 1..20 minutes: median = 10th = 10m, p95 = 19th = 19m.
        var events = Enumerable.Range(1, 20).Select(minutes => Down($"t{minutes}", "00:00:00", receivedAt: $"00:{minutes:00}:00"));

        var result = await InProcessCli.ReplayAsync(events, "--grace", "1s", "--output", "table");

        var row = Assert.Single(TableParser.Rows(result.StdOut));
        Assert.Equal("20", row["notify"]);
        Assert.Equal("10m", row["median delay"]);
        Assert.Equal("19m", row["p95 delay"]);
    }

    [Fact]
    public async Task Replay_Table_IsAlignedWithNumbersOnTheRight()
    {
        var result = await InProcessCli.ReplayAsync(Fleet, "--grace", "5m", "--grace", "1h", "--output", "table");

        var lines = result.StdOut.Split('\n');
        Assert.Equal(lines[0].Length, lines[1].Length);
        Assert.Equal(lines[0].Length, lines[2].Length);
        Assert.Equal(
            "grace  outages  notify  skip-reconnected  skip-superseded  skip-unknown  skip-duplicate  median delay  p95 delay",
            lines[0]);
        Assert.Equal(
            "5m           7       5                 1                1             0               1            5m        20m",
            lines[1]);
    }

    private static void AssertRow(
        Dictionary<string, string> row, string grace, int outages, int notify, int reconnected, int superseded, int duplicate, string median, string p95)
    {
        var expected = new Dictionary<string, string>
        {
            ["grace"] = grace,
            ["outages"] = $"{outages}",
            ["notify"] = $"{notify}",
            ["skip-reconnected"] = $"{reconnected}",
            ["skip-superseded"] = $"{superseded}",
            ["skip-duplicate"] = $"{duplicate}",
            ["skip-unknown"] = "0",
            ["median delay"] = median,
            ["p95 delay"] = p95,
        };
        Assert.Equal(expected, row);
    }
}
