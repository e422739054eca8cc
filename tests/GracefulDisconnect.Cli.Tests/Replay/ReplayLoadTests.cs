using System.Text;
using GracefulDisconnect.Cli.Replay;
using static GracefulDisconnect.Cli.Tests.Support.Events;

namespace GracefulDisconnect.Cli.Tests.Replay;

public sealed class ReplayLoadTests
{
    [Fact]
    public async Task LoadAsync_ValidLines_BuildsTheHistory()
    {
        var input = Down("t1", "00:00:00") + "\n" + Lifecycle("t2", true, "00:00:01", 1) + "\n\n" + Rule("t1", true, "00:00:02") + "\n";
        using var error = new StringWriter();

        var history = await ReplayCommand.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(input)), error, skipInvalid: false, CancellationToken.None);

        Assert.NotNull(history);
        Assert.Equal(3, history.EventCount);
        Assert.Equal(2, history.ThingCount);
        Assert.Equal(string.Empty, error.ToString());
    }

    [Fact]
    public async Task LoadAsync_MalformedLine_ReturnsNullAfterReportingIt()
    {
        using var error = new StringWriter { NewLine = "\n" };

        var history = await ReplayCommand.LoadAsync(new MemoryStream("{}\n{}\n"u8.ToArray()), error, skipInvalid: false, CancellationToken.None);

        Assert.Null(history);
        Assert.StartsWith("line 1: ", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("line 2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SkipInvalid_KeepsTheGoodLinesAndCountsTheBad()
    {
        using var error = new StringWriter { NewLine = "\n" };
        var input = "{}\n" + Down("t1", "00:00:00") + "\n[]\n";

        var history = await ReplayCommand.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(input)), error, skipInvalid: true, CancellationToken.None);

        Assert.NotNull(history);
        Assert.Equal(1, history.EventCount);
        Assert.EndsWith("replay: skipped 2 invalid line(s)\n", error.ToString(), StringComparison.Ordinal);
    }
}
