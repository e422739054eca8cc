using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

/// <summary>
/// <c>--skip-invalid</c> skips bad lines, but input where no line is valid is the wrong file or format:
/// exit 65 with a summary, not an empty result that reads as "nothing would have been notified".
/// </summary>
public sealed class ReplayAllInvalidTests
{
    [Theory]
    [InlineData("jsonl")]
    [InlineData("table")]
    public async Task Replay_EveryLineInvalidWithSkipInvalid_Exits65WithASummaryAndNoOutput(string output)
    {
        var result = await InProcessCli.ReplayAsync(["not json", "{\"thing\":\"t1\"}", "{}"], "--grace", "5m", "--skip-invalid", "--output", output);

        Assert.Equal(65, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Equal(4, result.ErrLines.Length);
        Assert.StartsWith("line 1: ", result.ErrLines[0], StringComparison.Ordinal);
        Assert.StartsWith("line 3: ", result.ErrLines[2], StringComparison.Ordinal);
        Assert.Equal("replay: all 3 line(s) were invalid; no event to replay", result.ErrLines[3]);
    }

    [Fact]
    public async Task Replay_OneValidLineAmongInvalidOnes_Exits0()
    {
        var result = await InProcessCli.ReplayAsync(["not json", Down("t1", "00:00:00"), "{}"], "--grace", "5m", "--skip-invalid");

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.OutLines);
        Assert.Equal("replay: skipped 2 invalid line(s)", result.ErrLines[^1]);
    }

    [Fact]
    public async Task Replay_EmptyOrBlankInputWithSkipInvalid_Exits0WithNothingOnStderr()
    {
        var result = await InProcessCli.RunAsync("\n  \n", "replay", "-", "--grace", "5m", "--skip-invalid");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdErr);
    }
}
