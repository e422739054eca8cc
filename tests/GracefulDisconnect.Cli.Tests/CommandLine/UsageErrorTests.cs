using GracefulDisconnect.Cli.Tests.Support;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.CommandLine;

/// <summary>A wrong command line exits 2 with a message on stderr and nothing on stdout.</summary>
public sealed class UsageErrorTests
{
    private static readonly string Input = Down("t1", "00:00:00") + "\n";

    [Theory]
    [InlineData(new[] { "replay", "-" }, "--grace", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace", "5x" }, "'5x' is not a duration", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace", "500ms" }, "must be at least 1s", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace", "0s" }, "must be at least 1s", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace", "00:00:00.5" }, "must be at least 1s", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace", "5m", "--grace", "nope" }, "'nope' is not a duration", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace" }, "--grace", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace", "5m", "--bogus" }, "--bogus", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace", "5m", "--output", "csv" }, "csv", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "--grace", "5m" }, "Required argument missing", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "extra", "--grace", "5m" }, "extra", "gracefuldisconnect replay")]
    [InlineData(new[] { "replay", "-", "--grace", "5m", "10m" }, "10m", "gracefuldisconnect replay")]
    [InlineData(new[] { "frobnicate" }, "frobnicate", "gracefuldisconnect")]
    [InlineData(new string[0], "Required command", "gracefuldisconnect")]
    [InlineData(new[] { "demo", "--things", "0" }, "--things: must be between 1 and 1000.", "gracefuldisconnect demo")]
    [InlineData(new[] { "check", "t1", "--grace", "soon" }, "'soon' is not a duration", "gracefuldisconnect check")]
    [InlineData(new[] { "run", "--grace", "31d" }, "--grace must be at most 30d, not '31d'.", "gracefuldisconnect run")]
    [InlineData(new[] { "run", "--grace", "5x" }, "'5x' is not a duration", "gracefuldisconnect run")]
    [InlineData(new[] { "run", "--grace", "5m", "--bogus" }, "--bogus", "gracefuldisconnect run")]
    public async Task Run_UsageError_Exits2WithMessageOnStderrOnlyAndPointsToTheCommandsHelp(string[] args, string expectedInError, string helpCommand)
    {
        var result = await InProcessCli.RunAsync(Input, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Contains(expectedInError, result.StdErr, StringComparison.Ordinal);
        Assert.EndsWith($"Run '{helpCommand} --help' for usage.\n", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MissingFile_Exits2NamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gd-cli-tests-missing-{Guid.NewGuid():N}.jsonl");

        var result = await InProcessCli.RunWithoutInputAsync("replay", path, "--grace", "5m");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.StartsWith($"replay: cannot read '{path}'", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_DirectoryInsteadOfAFile_Exits2SayingItIsADirectory()
    {
        var directory = Path.GetTempPath();

        var result = await InProcessCli.RunWithoutInputAsync("replay", directory, "--grace", "5m");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Equal($"replay: '{directory}' is a directory; give a JSON Lines file of events, or - for standard input.\n", result.StdErr);
    }

    [Fact]
    public async Task Run_InputIsADirectory_Exits2SayingItIsADirectoryBeforeOpeningTheStore()
    {
        var directory = Directory.CreateTempSubdirectory("gd-cli-tests-run-input-").FullName;
        try
        {
            var store = Path.Combine(directory, "store.db");

            var result = await InProcessCli.RunWithoutInputAsync("run", "--input", directory, "--grace", "5m", "--store", store);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal(string.Empty, result.StdOut);
            Assert.Equal($"run: --input '{directory}' is a directory; give a JSON Lines file of events, or - for standard input.\n", result.StdErr);
            Assert.False(File.Exists(store));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Replay_UsageErrorAndMalformedInput_UsageWins()
    {
        var result = await InProcessCli.RunAsync("not json\n", "replay", "-", "--grace", "5x");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("line 1", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_GraceBeforeTheInputFile_ReadsTheFile()
    {
        using var file = TempFile.WithLines([Down("t1", "00:00:00")]);

        var result = await InProcessCli.RunWithoutInputAsync("replay", "--grace", "5m", file.Path);

        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal([Decision("t1", "notify", "00:00:00", "00:05:00", "00:05:00")], result.OutLines);
    }

    [Fact]
    public async Task Replay_GraceBeforeTheStdinDash_ReadsStdin()
    {
        var result = await InProcessCli.RunAsync(Input, "replay", "--grace", "5m", "--grace", "10m", "-");

        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.OutLines.Length);
    }

    [Fact]
    public async Task Replay_OptionsInAnyOrder_GiveTheSameOutput()
    {
        var a = await InProcessCli.RunAsync(Input, "replay", "-", "--grace", "5m", "--output", "table", "--skip-invalid");
        var b = await InProcessCli.RunAsync(Input, "replay", "--skip-invalid", "--output", "table", "--grace", "5m", "-");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a, b);
    }
}
