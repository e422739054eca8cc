using System.Globalization;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Cli.Replay;

/// <summary>The tuner's answer: one row per grace period, so the trade-off between noise and delay is visible at a glance.</summary>
internal static class GraceTableWriter
{
    // The four verdicts after outages add up to it; skip-duplicate, the re-checks on top, stands apart after them.
    private static readonly string[] Header = ["grace", "outages", "notify", "skip-reconnected", "skip-superseded", "skip-unknown", "skip-duplicate", "median delay", "p95 delay"];

    public static void Write(TextWriter output, IReadOnlyList<GraceSummary> summaries) => Write(output, summaries, AlertChoices.None);

    /// <summary>Writes the table; with alerts on, a column per alert switched on and the messages all of it sends.</summary>
    public static void Write(TextWriter output, IReadOnlyList<GraceSummary> summaries, AlertChoices alerts)
    {
        var alertColumns = AlertColumns(alerts);
        var header = alertColumns.Count == 0 ? Header : [.. Header, .. alertColumns.Select(column => column.Name), "messages"];
        var rows = new List<string[]> { header };
        rows.AddRange(summaries.Select(s => alertColumns.Count == 0 ? Cells(s) : [.. Cells(s), .. alertColumns.Select(column => Number(column.Count(s))), Number(s.Messages)]));

        var widths = Enumerable.Range(0, header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))));
        }

        output.WriteLine();
        output.WriteLine("outages: distinct outages (a thing and the second it went offline) = notify + skip-reconnected + skip-superseded + skip-unknown.");
        output.WriteLine("skip-duplicate: further re-checks of an outage already decided or over (a disconnect delivered twice or late).");
        output.WriteLine("delay: from going offline to the notification - the grace, or longer when the disconnect arrived late.");
        if (alertColumns.Count != 0)
        {
            output.WriteLine("messages: everything sent - notify decisions on their own plus every alert" + (alerts.Digest is null ? "." : "; digested: notify decisions folded into a digest."));
        }
    }

    private static List<(string Name, Func<GraceSummary, int> Count)> AlertColumns(AlertChoices alerts)
    {
        var columns = new List<(string Name, Func<GraceSummary, int> Count)>();
        if (alerts.Recovery)
        {
            columns.Add(("recovered", s => s.Count(NotificationKind.Recovered)));
        }

        if (alerts.RemindEvery is not null)
        {
            columns.Add(("reminder", s => s.Count(NotificationKind.Reminder)));
        }

        if (alerts.Flap is not null)
        {
            columns.Add(("flapping", s => s.Count(NotificationKind.Flapping)));
        }

        if (alerts.Digest is not null)
        {
            columns.Add(("digested", s => s.FoldedIntoDigest));
            columns.Add(("digest", s => s.Count(NotificationKind.Digest)));
        }

        return columns;
    }

    private static string[] Cells(GraceSummary s) =>
        [
            DurationDisplay.Format(s.GracePeriod),
            Number(s.Outages),
            Number(s.Count(RecheckResult.Notified)),
            Number(s.Count(RecheckResult.SkippedReconnected)),
            Number(s.Count(RecheckResult.SkippedSuperseded)),
            Number(s.Count(RecheckResult.SkippedUnknownThing)),
            Number(s.Count(RecheckResult.SkippedDuplicate)),
            Delay(s.DelayPercentile(50)),
            Delay(s.DelayPercentile(95)),
        ];

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Delay(TimeSpan? value) => value is { } delay ? DurationDisplay.Format(delay) : "-";
}
