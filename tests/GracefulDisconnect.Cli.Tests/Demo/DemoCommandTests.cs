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
        Assert.DoesNotContain("still pending", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.StdOut, StringComparison.Ordinal);

        // The summary adds up, and says what the live lines showed: every disconnect was a duplicate, settled by its
        // reconnect or re-checked; each offline notification printed was a re-check that said NOTIFY.
        var lines = result.StdOut.Split('\n');
        Assert.Equal(Count("disconnect events"), Count("duplicates") + Count("back within the grace") + Count("re-checked"));
        Assert.Equal(lines.Count(line => line.EndsWith(" disconnected", StringComparison.Ordinal)), Count("disconnect events"));
        Assert.Equal(lines.Count(line => line.Contains("re-check: NOTIFY", StringComparison.Ordinal)), Count("notifications"));
        Assert.Equal(lines.Count(line => line.Contains("notification -> ", StringComparison.Ordinal) && line.Contains("has been offline since", StringComparison.Ordinal)), Count("notifications"));
        Assert.Equal(lines.Count(line => line.Contains("notification -> ", StringComparison.Ordinal) && line.Contains("is back online", StringComparison.Ordinal)), Count("recovered"));

        int Count(string label)
        {
            var line = Assert.Single(lines, line => line.StartsWith($"  {label} ", StringComparison.Ordinal));
            return int.Parse(line[(2 + label.Length)..].TrimStart().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
