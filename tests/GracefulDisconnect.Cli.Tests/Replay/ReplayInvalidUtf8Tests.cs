using System.Text;
using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>Bytes that are not UTF-8 are malformed input like any other: exit 65 or skipped, never a crash.</summary>
public sealed class ReplayInvalidUtf8Tests
{
    public static TheoryData<string, string, string> BadLines => new()
    {
        // (line with U+00FF standing for the invalid byte 0xFF, expected error prefix, description)
        { "{\"thing\":\"t\u00FF1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}", "line 2: 'thing': ", "generic thing name" },
        { "{\"thing\":\"t\u00FF\\u00e91\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}", "line 2: 'thing': ", "escaped generic thing name" },
        { "{\"clientId\":\"c\u00FF\",\"timestamp\":1767225600000,\"eventType\":\"disconnected\"}", "line 2: 'clientId': ", "lifecycle client id" },
        { "{\"thingName\":\"r\u00FF\",\"connected\":false,\"timestamp\":1767225600}", "line 2: 'thingName': ", "rule output thing name" },
        { "{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\u00FF\"}", "line 2: 'at': ", "timestamp" },
        { "{\"thing\":\"t1\",\"connected\":false,\"at\":\"2026-01-01T00:00:00\\u005A\u00FF\"}", "line 2: 'at': ", "escaped timestamp" },
        { "{\"clientId\":\"c1\",\"timestamp\":1767225600000,\"eventType\":\"dis\u00FF\"}", "line 2: 'eventType': ", "event type" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task Replay_InvalidUtf8InAField_StopsWithExit65NamingTheField(string line, string expectedError, string what)
    {
        var result = await InProcessCli.RunAsync(Input(line), "replay", "-", "--grace", "5m");

        Assert.True(result.ExitCode == 65, $"{what}: {result}");
        Assert.Equal(string.Empty, result.StdOut);
        Assert.StartsWith(expectedError, Assert.Single(result.ErrLines), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task Replay_InvalidUtf8WithSkipInvalid_IsSkippedAndTheRestDecided(string line, string expectedError, string what)
    {
        var result = await InProcessCli.RunAsync(Input(line), "replay", "-", "--grace", "5m", "--skip-invalid");

        Assert.True(result.ExitCode == 0, $"{what}: {result}");
        Assert.Equal(
            [Decision("t0", "notify", "00:00:00", "00:05:00", "00:05:00"), Decision("t3", "notify", "00:00:00", "00:05:00", "00:05:00")],
            result.OutLines);
        Assert.StartsWith(expectedError, result.ErrLines[0], StringComparison.Ordinal);
        Assert.Equal("replay: skipped 1 invalid line(s)", result.ErrLines[1]);
    }

    [Fact]
    public async Task Replay_InvalidUtf8InAnIgnoredField_IsAccepted()
    {
        var result = await InProcessCli.RunAsync(Input("{\"thing\":\"t1\",\"note\":\"\u00FF\",\"connected\":false,\"at\":\"2026-01-01T00:00:00Z\"}"), "replay", "-", "--grace", "5m");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.OutLines.Length);
    }

    // Latin-1 maps each char below 256 to one byte, so U+00FF in the line becomes the byte 0xFF, never valid in UTF-8.
    private static byte[] Input(string badLine)
        =>
        [
            .. Encoding.UTF8.GetBytes(Down("t0", "00:00:00") + "\n"),
            .. Encoding.Latin1.GetBytes(badLine + "\n"),
            .. Encoding.UTF8.GetBytes(Down("t3", "00:00:00") + "\n"),
        ];
}
