using System.Text;
using GracefulDisconnect.Cli.Replay;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Replay;

public sealed class JsonLineReaderTests
{
    private const int Max = JsonLineReader.MaxLineBytes;

    public static TheoryData<int> ChunkSizes => [1, 2, 3, 7, 64, 4096, 1 << 20];

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task ReadAsync_AnyChunking_GivesTheSameLinesAndNumbers(int chunk)
    {
        var input = "\uFEFF{\"a\":1}\r\n\r\n  \n{\"b\":\"é\"}\n\t\r\n{\"c\":3}";

        var (lines, oversized, complete) = await ReadAsync(Encoding.UTF8.GetBytes(input), chunk);

        Assert.True(complete);
        Assert.Empty(oversized);
        Assert.Equal([(1L, "{\"a\":1}"), (4L, "{\"b\":\"é\"}"), (6L, "{\"c\":3}")], lines);
    }

    [Fact]
    public async Task ReadAsync_EmptyStream_ReadsNothingAndCompletes()
    {
        var (lines, oversized, complete) = await ReadAsync([], 4096);

        Assert.True(complete);
        Assert.Empty(lines);
        Assert.Empty(oversized);
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMarkOnALaterLine_IsKept()
    {
        var input = "{}\n\uFEFF{}\n";

        var (lines, _, _) = await ReadAsync(Encoding.UTF8.GetBytes(input), 4096);

        Assert.Equal([(1L, "{}"), (2L, "\uFEFF{}")], lines);
    }

    [Fact]
    public async Task ReadAsync_OnlyALoneCarriageReturnIsRemoved()
    {
        var (lines, _, _) = await ReadAsync("{}\r\r\n{}\n"u8.ToArray(), 4096);

        Assert.Equal([(1L, "{}\r"), (2L, "{}")], lines);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(65_537)]
    [InlineData(1 << 20)]
    public async Task ReadAsync_LinesAroundTheLimit_ExactlyMaxIsReadOneMoreIsOversized(int chunk)
    {
        var exact = new string('x', Max);
        var over = new string('y', Max + 1);
        var input = $"{exact}\n{over}\n{exact}\r\n{over}\r\nend\n{over}";

        var (lines, oversized, complete) = await ReadAsync(Encoding.UTF8.GetBytes(input), chunk);

        Assert.True(complete);
        Assert.Equal([1L, 3L, 5L], lines.Select(l => l.Number));
        Assert.Equal([exact, exact, "end"], lines.Select(l => l.Text));
        Assert.Equal([2L, 4L, 6L], oversized);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task ReadAsync_LineLongerThanTheBuffer_IsReportedOnceAndTheNextLineKeepsItsNumber(int chunk)
    {
        var input = "{}\n" + new string('z', 3 * 1024 * 1024) + "\n{\"after\":1}\n";

        var (lines, oversized, complete) = await ReadAsync(Encoding.UTF8.GetBytes(input), chunk);

        Assert.True(complete);
        Assert.Equal([2L], oversized);
        Assert.Equal([(1L, "{}"), (3L, "{\"after\":1}")], lines);
    }

    [Fact]
    public async Task ReadAsync_HandlerAsksToStop_StopsAndReportsIncomplete()
    {
        var seen = new List<long>();

        var complete = await JsonLineReader.ReadAsync(
            new MemoryStream("{}\n{}\n{}\n"u8.ToArray()),
            (number, _) =>
            {
                seen.Add(number);
                return number < 2;
            },
            _ => true,
            CancellationToken.None);

        Assert.False(complete);
        Assert.Equal([1L, 2L], seen);
    }

    [Fact]
    public async Task ReadAsync_OversizedHandlerAsksToStop_StopsAndReportsIncomplete()
    {
        var seen = new List<long>();
        var input = Encoding.UTF8.GetBytes("{}\n" + new string('x', Max + 10) + "\n{}\n");

        var complete = await JsonLineReader.ReadAsync(new MemoryStream(input), (number, _) => { seen.Add(number); return true; }, _ => false, CancellationToken.None);

        Assert.False(complete);
        Assert.Equal([1L], seen);
    }

    [Fact]
    public async Task ReadAsync_ManyLinesAcrossBufferRefills_AreAllRead()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            builder.Append("{\"i\":").Append(i).Append("}\n");
        }

        var (lines, _, complete) = await ReadAsync(Encoding.UTF8.GetBytes(builder.ToString()), 65_537);

        Assert.True(complete);
        Assert.Equal(100_000, lines.Count);
        Assert.Equal((100_000L, "{\"i\":99999}"), lines[^1]);
    }

    private static async Task<(List<(long Number, string Text)> Lines, List<long> Oversized, bool Complete)> ReadAsync(byte[] input, int chunk)
    {
        var lines = new List<(long, string)>();
        var oversized = new List<long>();
        var complete = await JsonLineReader.ReadAsync(
            new ChunkedStream(input, chunk),
            (number, line) =>
            {
                lines.Add((number, Encoding.UTF8.GetString(line)));
                return true;
            },
            number =>
            {
                oversized.Add(number);
                return true;
            },
            CancellationToken.None);
        return (lines, oversized, complete);
    }
}
