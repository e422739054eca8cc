using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>The table's verdict columns add up to its outages; re-checks beyond an outage's verdict are skip-duplicate.</summary>
public sealed class ReplayTableOutagesTests
{
    [Fact]
    public async Task Replay_TableOfABlipDeliveredTwice_IsOneOutageReconnectedAndOneDuplicate()
    {
        var result = await InProcessCli.ReplayAsync([Down("d", "00:00:00"), Down("d", "00:00:00"), Up("d", "00:01:00")], "--grace", "5m", "--output", "table");

        var row = Assert.Single(TableParser.Rows(result.StdOut));
        Assert.Equal(("1", "1", "0", "1"), (row["outages"], row["skip-reconnected"], row["notify"], row["skip-duplicate"]));
    }

    [Fact]
    public async Task Replay_TableOfTheFleetDaySample_VerdictColumnsAddUpToOutagesAndEveryDecisionIsCounted()
    {
        var sample = RepositoryFiles.PathOf("samples", "data", "fleet-day.jsonl");
        string[] graces = ["30s", "1m", "5m", "15m"];

        var table = await InProcessCli.RunWithoutInputAsync(["replay", sample, .. graces.SelectMany(g => new[] { "--grace", g }), "--output", "table"]);
        var decisions = await InProcessCli.RunWithoutInputAsync(["replay", sample, .. graces.SelectMany(g => new[] { "--grace", g })]);

        Assert.Equal(0, table.ExitCode);
        var rows = TableParser.Rows(table.StdOut);
        Assert.Equal(graces, rows.Select(row => row["grace"]));
        foreach (var row in rows)
        {
            int Cell(string column) => int.Parse(row[column], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Cell("outages"), Cell("notify") + Cell("skip-reconnected") + Cell("skip-superseded") + Cell("skip-unknown"));
        }

        // Every jsonl decision is in exactly one column of its grace's row.
        var total = rows.Sum(row => int.Parse(row["outages"], System.Globalization.CultureInfo.InvariantCulture) + int.Parse(row["skip-duplicate"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(decisions.OutLines.Length, total);
    }
}
