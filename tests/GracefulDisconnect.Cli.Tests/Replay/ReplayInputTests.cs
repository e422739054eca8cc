using System.Text;
using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>What replay reads: the three formats, blank lines, CRLF, a BOM, long lines, malformed lines.</summary>
public sealed class ReplayInputTests
{
    private const int MaxLineBytes = 64 * 1024;

    [Fact]
    public async Task Replay_ThreeFormatsMixedInOneFile_EachIsDetectedPerLine()
    {
        string[] events =
        [
            "{\"thing\":\"generic-1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\",\"version\":3,\"receivedAt\":\"2026-01-01T00:00:01Z\"}",
            "{\"clientId\":\"lifecycle-1\",\"timestamp\":1767225600250,\"eventType\":\"disconnected\",\"versionNumber\":3,\"disconnectReason\":\"CONNECTION_LOST\",\"clientInitiatedDisconnect\":false}",
            "{\"thingName\":\"rule-1\",\"connected\":false,\"timestamp\":1767225600}",
            "{\"clientId\":\"lifecycle-2\",\"timestamp\":1767225600000,\"eventType\":\"disconnected\",\"versionNumber\":1}",
            "{\"clientId\":\"lifecycle-2\",\"timestamp\":1767225660000,\"eventType\":\"connected\",\"versionNumber\":2}",
            "{\"thingName\":\"rule-2\",\"connected\":false,\"timestamp\":1767225600}",
            "{\"thingName\":\"rule-2\",\"connected\":true,\"timestamp\":1767225660}",
        ];

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m");

        // generic-1 arrives a second after the others, so its re-check comes last among those due at 00:05:00.
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                Decision("rule-1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Decision("lifecycle-2", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"),
                Decision("rule-2", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"),
                Decision("generic-1", "notify", "00:00:00", "00:05:00", "00:05:00"),
                Decision("lifecycle-1", "notify", "00:00:00.250", "00:05:00.250", "00:05:00"),
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_FieldsInAnyOrderAndUnknownFields_AreAccepted()
    {
        string[] events =
        [
            "{\"note\":{\"nested\":[1,2,{\"thing\":\"decoy\"}]},\"at\":\"2026-01-01T00:00:00Z\",\"connected\":false,\"thing\":\"t1\"}",
            "{\"versionNumber\":3,\"eventType\":\"disconnected\",\"timestamp\":1767225600000,\"clientId\":\"t2\"}",
        ];

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"), Decision("t2", "notify", "00:00:00", "00:05:00", "00:05:00")],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_PayloadSamples_AsOneLineEach_AreReplayed()
    {
        string[] events = [TestData.PayloadAsLine("lifecycle-connected.json"), TestData.PayloadAsLine("lifecycle-disconnected.json"), TestData.PayloadAsLine("rule-output.json")];

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "{\"thing\":\"186b5\",\"verdict\":\"notify\",\"offlineSince\":\"2019-11-06T01:05:40.451Z\",\"decidedAt\":\"2019-11-06T01:10:40.451Z\",\"grace\":\"00:05:00\"}",
                "{\"thing\":\"greenhouse-pi-3\",\"verdict\":\"notify\",\"offlineSince\":\"2026-01-01T00:10:00.000Z\",\"decidedAt\":\"2026-01-01T00:15:00.000Z\",\"grace\":\"00:05:00\"}",
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_BlankLinesWhitespaceLinesAndCrlf_AreIgnored()
    {
        var input = "\r\n" + Down("t1", "00:00:00") + "\r\n\r\n   \r\n\t\n" + Up("t1", "00:01:00") + "\r\n" + Down("t2", "00:00:00") + "\r\n\n";

        var result = await InProcessCli.RunAsync(input, "replay", "-", "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal(
            [Decision("t1", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"), Decision("t2", "notify", "00:00:00", "00:05:00", "00:05:00")],
            result.OutLines);
    }

    [Fact]
    public async Task Replay_LastLineWithoutNewline_IsRead()
    {
        var result = await InProcessCli.RunAsync(Down("t1", "00:00:00") + "\n" + Down("t2", "00:00:00"), "replay", "-", "--grace", "5m");

        Assert.Equal(2, result.OutLines.Length);
    }

    [Fact]
    public async Task Replay_Utf8ByteOrderMark_IsIgnored()
    {
        var input = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Down("t1", "00:00:00") + "\r\n")).ToArray();

        var result = await InProcessCli.RunAsync(input, "replay", "-", "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00")], result.OutLines);
    }

    [Fact]
    public async Task Replay_Utf8ByteOrderMarkInAFile_IsIgnored()
    {
        using var file = TempFile.WithBytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Down("t1", "00:00:00") + "\n")]);

        var result = await InProcessCli.RunWithoutInputAsync("replay", file.Path, "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00")], result.OutLines);
    }

    [Theory]
    [InlineData("not json", "line 2: not valid JSON")]
    [InlineData("[1]", "line 2: expected a JSON object")]
    [InlineData("{\"foo\":1}", "line 2: unknown event format: expected a 'thing' (generic), 'clientId' (AWS lifecycle event) or 'thingName' (IoT rule output) field")]
    [InlineData("{\"thing\":\"t1\",\"connected\":\"no\",\"at\":\"2026-01-01T00:00:00Z\"}", "line 2: 'connected': expected true or false")]
    [InlineData("{\"thing\":\"t1\",\"connected\":false}", "line 2: 'at': is required")]
    [InlineData("{\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\",\"thing\":\"\"}", "line 2: 'thing': must not be empty")]
    [InlineData("{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-13-01T00:00:00Z\"}", "line 2: 'at': is not an ISO-8601 timestamp")]
    [InlineData("{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\",\"version\":1.5}", "line 2: 'version': expected an integer")]
    [InlineData("{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\",\"receivedAt\":\"yesterday\"}", "line 2: 'receivedAt': is not an ISO-8601 timestamp")]
    [InlineData("{\"clientId\":\"c1\",\"timestamp\":\"1767225600000\",\"eventType\":\"disconnected\"}", "line 2: 'timestamp': expected an integer number of milliseconds since 1970-01-01")]
    [InlineData("{\"clientId\":\"c1\",\"timestamp\":1767225600000,\"eventType\":\"gone\"}", "line 2: 'eventType': expected \"connected\" or \"disconnected\"")]
    [InlineData("{\"eventType\":\"disconnected\",\"timestamp\":1767225600000}", "line 2: 'clientId': is required")]
    [InlineData("{\"thingName\":\"r1\",\"connected\":false,\"timestamp\":1767225600000}", "line 2: 'timestamp': 1767225600000 is out of range for seconds since 1970-01-01")]
    [InlineData("{\"thingName\":\"r1\",\"connected\":false,\"timestamp\":-1}", "line 2: 'timestamp': -1 is out of range for seconds since 1970-01-01")]
    [InlineData("{\"previous\":{},\"current\":{}}", "line 2: a shadow update document carries no thing name")]
    [InlineData("{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"", "line 2: not valid JSON")]
    public async Task Replay_MalformedLine_StopsWithExit65AndNamesLineAndProblemOnStderrOnly(string badLine, string expectedError)
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), badLine, Down("t2", "00:00:00")], "--grace", "5m");

        Assert.Equal(65, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        var error = Assert.Single(result.ErrLines);
        Assert.StartsWith(expectedError, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_ThingNameTooLong_NamesTheField()
    {
        var name = new string('x', 129);
        var result = await InProcessCli.ReplayAsync([Down(name, "00:00:00")], "--grace", "5m");

        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith("line 1: 'thing': must be at most 128 characters", Assert.Single(result.ErrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MalformedLine_LineNumbersCountBlankLinesAndOnlyTheFirstErrorIsReported()
    {
        var input = Down("t1", "00:00:00") + "\n\n\r\n" + "{oops}\n" + "also bad\n";

        var result = await InProcessCli.RunAsync(input, "replay", "-", "--grace", "5m");

        Assert.Equal(65, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.StartsWith("line 4: ", Assert.Single(result.ErrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MalformedLineWithSeveralGraces_PrintsNoDecisionForAnyGrace()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), "{}"], "--grace", "5m", "--grace", "1h", "--output", "table");

        Assert.Equal(65, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task Replay_SkipInvalid_ReportsEachBadLineCountsThemAndDecidesTheGoodOnes()
    {
        string[] events =
        [
            Down("t1", "00:00:00"),
            "not json",
            Up("t1", "00:01:00"),
            "{\"thing\":\"t2\",\"connected\":false}",
            Down("t2", "00:00:00"),
            "{\"clientId\":\"c1\",\"timestamp\":1,\"eventType\":\"gone\"}",
        ];

        var result = await InProcessCli.ReplayAsync(events, "--grace", "5m", "--skip-invalid");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [Decision("t1", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"), Decision("t2", "notify", "00:00:00", "00:05:00", "00:05:00")],
            result.OutLines);
        Assert.Equal(4, result.ErrLines.Length);
        Assert.StartsWith("line 2: not valid JSON", result.ErrLines[0], StringComparison.Ordinal);
        Assert.Equal("line 4: 'at': is required", result.ErrLines[1]);
        Assert.Equal("line 6: 'eventType': expected \"connected\" or \"disconnected\"", result.ErrLines[2]);
        Assert.Equal("replay: skipped 3 invalid line(s)", result.ErrLines[3]);
    }

    [Fact]
    public async Task Replay_SkipInvalidWithNothingInvalid_PrintsNothingOnStderr()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00")], "--grace", "5m", "--skip-invalid");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdErr);
        Assert.Single(result.OutLines);
    }

    [Fact]
    public async Task Replay_LineOver64KiB_StopsWithExit65()
    {
        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), Padded(Down("t2", "00:00:00"), MaxLineBytes + 1), Down("t3", "00:00:00")], "--grace", "5m");

        Assert.Equal(65, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Equal("line 2: line is longer than 65536 bytes", Assert.Single(result.ErrLines));
    }

    [Fact]
    public async Task Replay_HugeLineWithSkipInvalid_IsReportedOnceAndReadingResumesOnTheNextLine()
    {
        // Two megabytes: longer than the reader's buffer, so the line is dropped while it streams in.
        var huge = Padded(Down("t2", "00:00:00"), 2 * 1024 * 1024);

        var result = await InProcessCli.ReplayAsync([Down("t1", "00:00:00"), huge, Down("t3", "00:00:00"), "{}"], "--grace", "5m", "--skip-invalid");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00"), Decision("t3", "notify", "00:00:00", "00:05:00", "00:05:00")],
            result.OutLines);
        Assert.Equal("line 2: line is longer than 65536 bytes", result.ErrLines[0]);
        Assert.StartsWith("line 4: ", result.ErrLines[1], StringComparison.Ordinal);
        Assert.Equal("replay: skipped 2 invalid line(s)", result.ErrLines[2]);
    }

    [Fact]
    public async Task Replay_LineOfExactly64KiB_IsAccepted()
    {
        var result = await InProcessCli.ReplayAsync([Padded(Down("t1", "00:00:00"), MaxLineBytes)], "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00")], result.OutLines);
    }

    [Fact]
    public async Task Replay_LineOfExactly64KiBEndedByCrlf_IsAccepted()
    {
        // CRLF is a line ending like LF: the \r is not part of the line.
        var input = Padded(Down("t1", "00:00:00"), MaxLineBytes) + "\r\n" + Padded(Down("t2", "00:00:00"), MaxLineBytes) + "\r\n";

        var result = await InProcessCli.RunAsync(input, "replay", "-", "--grace", "5m");

        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.OutLines.Length);
    }

    /// <summary>Adds an ignored field so that the event's line is exactly <paramref name="bytes"/> long.</summary>
    internal static string Padded(string eventLine, int bytes)
    {
        const string Field = ",\"padding\":\"\"}";
        var padding = bytes - (eventLine.Length - 1 + Field.Length);
        var line = eventLine[..^1] + ",\"padding\":\"" + new string('x', padding) + "\"}";
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(line));
        return line;
    }
}
