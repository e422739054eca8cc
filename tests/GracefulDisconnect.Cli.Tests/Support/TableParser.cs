using System.Text.RegularExpressions;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>Reads the <c>--output table</c> text back: columns are separated by two or more spaces.</summary>
internal static partial class TableParser
{
    public static string[] Header(string table) => Cells(table.Split('\n')[0]);

    /// <summary>One dictionary per grace-period row, keyed by column header.</summary>
    public static IReadOnlyList<Dictionary<string, string>> Rows(string table)
    {
        var lines = table.Split('\n');
        var header = Cells(lines[0]);
        return [.. lines.Skip(1).TakeWhile(line => line.Length > 0).Select(line =>
        {
            var cells = Cells(line);
            Assert.Equal(header.Length, cells.Length);
            return header.Zip(cells).ToDictionary(pair => pair.First, pair => pair.Second);
        })];
    }

    private static string[] Cells(string line) => ColumnGap().Split(line.Trim());

    [GeneratedRegex(" {2,}")]
    private static partial Regex ColumnGap();
}
