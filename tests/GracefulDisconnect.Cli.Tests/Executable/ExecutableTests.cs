using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Executable;

/// <summary>The built tool as a child process: real exit codes, real stdin, stdout and stderr kept apart.</summary>
public sealed class ExecutableTests
{
    private static readonly string[] Fleet = [Down("t1", "00:00:00"), Up("t1", "00:01:00"), Lifecycle("t2", false, "00:00:00.451", 3)];

    private static readonly string[] Expected =
    [
        Decision("t1", "skip-reconnected", "00:00:00", "00:05:00", "00:05:00"),
        Decision("t2", "notify", "00:00:00.451", "00:05:00.451", "00:05:00"),
    ];

    [Fact]
    public async Task Replay_File_Exits0WithDecisionsOnStdoutOnly()
    {
        using var file = TempFile.WithLines(Fleet);

        var result = await ChildProcessCli.RunAsync(null, "replay", file.Path, "--grace", "5m");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Expected, result.OutLines);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task Replay_StdinDash_ReadsThePipe()
    {
        var result = await ChildProcessCli.RunAsync(string.Concat(Fleet.Select(line => line + "\r\n")), "replay", "--grace", "5m", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Expected, result.OutLines);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task Replay_MalformedLine_Exits65WithTheErrorOnStderrAndNothingOnStdout()
    {
        var result = await ChildProcessCli.RunAsync(Fleet[0] + "\n{\"thing\":\"t1\",\"connected\":1,\"at\":\"2026-01-01T00:00:00Z\"}\n", "replay", "-", "--grace", "5m");

        Assert.Equal(65, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Equal("line 2: 'connected': expected true or false\n", result.StdErr);
    }

    [Fact]
    public async Task Replay_SkipInvalid_Exits0WithDecisionsOnStdoutAndReportsOnStderr()
    {
        var input = string.Concat(Fleet.Select(line => line + "\n")) + "oops\n";

        var result = await ChildProcessCli.RunAsync(input, "replay", "-", "--grace", "5m", "--skip-invalid");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Expected, result.OutLines);
        Assert.Equal(2, result.ErrLines.Length);
        Assert.StartsWith("line 4: not valid JSON", result.ErrLines[0], StringComparison.Ordinal);
        Assert.Equal("replay: skipped 1 invalid line(s)", result.ErrLines[1]);
    }

    [Fact]
    public async Task Replay_Table_Exits0WithTheTableOnStdout()
    {
        var result = await ChildProcessCli.RunAsync(string.Concat(Fleet.Select(line => line + "\n")), "replay", "-", "--grace", "5m", "--grace", "30s", "--output", "table");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.StdErr);
        var rows = TableParser.Rows(result.StdOut);
        Assert.Equal(["5m", "30s"], rows.Select(row => row["grace"]));
        Assert.Equal(["1", "2"], rows.Select(row => row["notify"]));
    }

    [Fact]
    public async Task Help_Exits0AndListsTheCommandsOnStdout()
    {
        var result = await ChildProcessCli.RunAsync(null, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("replay", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("demo", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Theory]
    [InlineData("replay", "-", "--grace", "5x")]
    [InlineData("replay", "-")]
    [InlineData("replay", "/nonexistent/gd-cli-tests/events.jsonl", "--grace", "5m")]
    public async Task Run_UsageError_Exits2WithNothingOnStdout(params string[] args)
    {
        var result = await ChildProcessCli.RunAsync(Fleet[0] + "\n", args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.NotEqual(string.Empty, result.StdErr);
    }
}
