using System.Text;
using System.Text.Json;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// A regional storm through a pipe, as the issue tried it: 50,000 devices drop at once, half are back 0.3 s later,
/// grace 3 s. Every reconnect is recorded before the re-checks come due, so only the devices still down are told,
/// each once.
/// </summary>
public sealed class RunBurstTests
{
    private const int Devices = 50_000;

    [Fact]
    public async Task Burst_50000DevicesDropHalfBackAfter300ms_OnlyTheStillDownAreNotifiedOnceEach()
    {
        await using var run = new RunWorkspace();
        var process = run.StartRaw("run", "--grace", "3s", "--store", run.StorePath, "--notify-file", run.NotifyPath, "--exit-when-idle");
        var down = Now();
        var back = down.AddMilliseconds(300);

        // One write each, as fast as the pipe takes them: the drops, then the returns of every even device.
        await process.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, Devices).Select(i => Down(Thing(i), down) + "\n"))));
        await process.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, Devices).Where(i => i % 2 == 0).Select(i => Up(Thing(i), back) + "\n"))));
        process.CloseInput();

        Assert.True(await process.WaitForExitAsync() == 0, process.ToString());
        var notified = run.NotificationLines().Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(notified, line => Assert.Equal("notify", line.GetProperty("verdict").GetString()));
        var things = notified.Select(line => line.GetProperty("thing").GetString()!).ToList();
        Assert.Equal(Devices / 2, things.Count);
        Assert.Equal(Enumerable.Range(0, Devices).Where(i => i % 2 == 1).Select(Thing).Order(StringComparer.Ordinal), things.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task KillDuringAPipedFlood_LosesAtMostWhatThePipeHeldAndOneReadOfIt()
    {
        await using var run = new RunWorkspace();
        var process = run.Start();
        var t0 = Now().AddHours(-1);
        var lines = Enumerable.Range(0, 60_000).Select(i => Down(Thing(i), t0) + "\n").ToList();
        var longest = lines.Max(line => line.Length);

        // The write completes once the process has taken all but what the pipe's buffer holds; kill -9 right then.
        await process.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(lines)));
        process.Kill();

        // What is lost: the pipe's buffer (64 KiB on Linux) and the one read being recorded (at most as much).
        var recorded = run.Count("SELECT count(*) FROM device");
        var bound = 2 * 65_536 / (longest - 1);
        Assert.True(lines.Count - recorded <= bound, $"{lines.Count - recorded} of {lines.Count} lines lost, more than the {bound} a pipe's buffer and one read hold\n{process}");
    }

    private static string Thing(int i) => $"storm-{i:D5}";
}
