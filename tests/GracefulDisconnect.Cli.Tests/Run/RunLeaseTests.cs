using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary><c>run --lease</c> and <c>GracefulDisconnect:ClaimLease</c>: validated before anything is opened, a usage error naming the option.</summary>
public sealed class RunLeaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gd-cli-lease-").FullName;

    private string Store => Path.Combine(_folder, "store.db");

    [Theory]
    [InlineData("500ms")]
    [InlineData("soon")]
    public async Task Lease_NotADurationOrUnderASecond_Exits2NamingTheFlag(string lease)
    {
        var result = await InProcessCli.RunWithoutInputAsync("run", "--grace", "2s", "--store", Store, "--lease", lease, "--exit-when-idle");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.ErrLines, line => line.Contains("--lease", StringComparison.Ordinal));
        Assert.False(File.Exists(Store), "nothing is opened when the command line is wrong");
    }

    [Fact]
    public async Task Lease_InConfigurationLongerThanADay_Exits2NamingTheKey()
    {
        var config = Path.Combine(_folder, "config.json");
        await File.WriteAllTextAsync(config, """{ "GracefulDisconnect": { "GracePeriod": "2s", "ClaimLease": "2d" } }""");

        var result = await InProcessCli.RunWithoutInputAsync("run", "--config", config, "--store", Store, "--exit-when-idle");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith("run: GracefulDisconnect: ClaimLease:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lease_FlagOverTheConfiguration_AValidFlagRuns()
    {
        var config = Path.Combine(_folder, "config.json");
        await File.WriteAllTextAsync(config, """{ "GracefulDisconnect": { "GracePeriod": "2s", "ClaimLease": "2d" } }""");

        var result = await InProcessCli.RunWithoutInputAsync("run", "--config", config, "--store", Store, "--lease", "5s", "--exit-when-idle");

        Assert.True(result.ExitCode == 0, result.StdErr);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
