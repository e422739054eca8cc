using System.Diagnostics;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Demo;

/// <summary><c>gracefuldisconnect demo</c> runs in real time; one short run proves it finishes by itself.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_ShortRun_ExitsZeroWithinABoundedTimeAndPrintsASummary()
    {
        var stopwatch = Stopwatch.StartNew();

        var result = await InProcessCli.RunWithoutInputAsync("demo", "--duration", "3s", "--things", "5", "--grace", "1s").WaitAsync(TimeSpan.FromSeconds(30));

        stopwatch.Stop();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        Assert.Contains("5 simulated devices, grace 1s, flapping for 3s", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\nSummary\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("  disconnect events ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("  notifications ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("  recovered ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("  flapping ", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("still pending", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.StdOut, StringComparison.Ordinal);
    }
}
