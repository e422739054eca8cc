using System.Globalization;

namespace GracefulDisconnect.Cli.Replay;

/// <summary>The tuner's answer: one row per grace period, so the trade-off between noise and delay is visible at a glance.</summary>
internal static class GraceTableWriter
{
    private static readonly string[] Header = ["grace", "outages", "notify", "skip-reconnected", "skip-superseded", "skip-duplicate", "skip-unknown", "median delay", "p95 delay"];

    public static void Write(TextWriter output, IReadOnlyList<GraceSummary> summaries)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(summaries.Select(s => new[]
        {
            DurationText.Format(s.GracePeriod),
            Number(s.Outages),
            Number(s.Count(RecheckResult.Notified)),
            Number(s.Count(RecheckResult.SkippedReconnected)),
            Number(s.Count(RecheckResult.SkippedSuperseded)),
            Number(s.Count(RecheckResult.SkippedDuplicate)),
            Number(s.Count(RecheckResult.SkippedUnknownThing)),
            Delay(s.DelayPercentile(50)),
            Delay(s.DelayPercentile(95)),
        }));

        var widths = Enumerable.Range(0, Header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))));
        }

        output.WriteLine();
        output.WriteLine("outages: distinct disconnects re-checked; delay: from going offline to the notification.");
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Delay(TimeSpan? value)
    {
        if (value is not { } delay)
        {
            return "-";
        }

        var format = (delay.Days > 0 ? @"d\." : string.Empty) + @"hh\:mm\:ss" + (delay.Ticks % TimeSpan.TicksPerSecond != 0 ? @"\.fff" : string.Empty);
        return delay.ToString(format, CultureInfo.InvariantCulture);
    }
}
