using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.CommandLine;

/// <summary>
/// <c>sweep</c> and <c>check --source</c> refuse a wrong command line with exit 2 before building any AWS client.
/// The runs against the fake control plane (SigV4, paging, notify) are in GracefulDisconnect.Aws.Tests, beside check's.
/// </summary>
public sealed class SweepUsageTests
{
    [Theory]
    [InlineData(new[] { "sweep" }, "--grace")]
    [InlineData(new[] { "sweep", "--grace", "5x" }, "'5x' is not a duration")]
    [InlineData(new[] { "sweep", "--grace", "5m", "--page-size", "0" }, "--page-size must be between 1 and 100")]
    [InlineData(new[] { "sweep", "--grace", "5m", "--notify" }, "--notify needs --topic-arn")]
    [InlineData(new[] { "sweep", "--grace", "5m", "--store", "s.db" }, "--store remembers what was published")]
    [InlineData(new[] { "sweep", "--grace", "31d" }, "--grace must be at most 30 days")]
    [InlineData(new[] { "check", "pump", "--grace", "5m", "--source", "mqtt" }, "mqtt")]
    [InlineData(new[] { "check", "pump", "--grace", "5m", "--source", "connectivity", "--shadow-name", "s" }, "--shadow-name")]
    [InlineData(new[] { "check", "pump:/x", "--grace", "5m", "--source", "connectivity" }, "invalid thing name")]
    public async Task Run_UsageError_Exits2WithMessageOnStderrOnly(string[] args, string expectedInError)
    {
        var result = await InProcessCli.RunWithoutInputAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Contains(expectedInError, result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_Help_NamesEveryOption()
    {
        var result = await InProcessCli.RunWithoutInputAsync("sweep", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--grace", "--query", "--page-size", "--notify", "--topic-arn", "--store", "--region", "--iot-endpoint", "--sns-endpoint" })
        {
            Assert.Contains(option, result.StdOut, StringComparison.Ordinal);
        }
    }
}
