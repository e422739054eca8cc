using System.Text.Json;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary><c>gracefuldisconnect run</c> as a child process: stopping on signals, <c>--exit-when-idle</c>, standard output mode.</summary>
public sealed class RunLifecycleTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signal_WithARecheckPending_Exits0AndTheRestartNotifiesIt(string signal)
    {
        await using var run = new RunWorkspace();
        var first = run.Start();
        var t0 = Now();
        await first.WriteLinesAsync(Down("pending", t0));
        await UntilAsync(() => run.StoredState("pending") == false, () => "the disconnect to be read\n" + first);

        first.Signal(signal);

        Assert.True(await first.WaitForExitAsync() == 0, first.ToString());
        Assert.DoesNotContain("xception", first.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, run.Count("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"));

        var second = run.Start("--exit-when-idle");
        second.CloseInput();
        Assert.True(await second.WaitForExitAsync() == 0, second.ToString());
        run.AssertNotifiedExactly([OutageId("pending", t0)], second.ToString());
    }

    [Fact]
    public async Task ExitWhenIdle_InputFile_ExitsOnceEveryRecheckIsDoneAndNothingIsUnsent()
    {
        await using var run = new RunWorkspace();
        var t0 = Now();
        var input = Path.Combine(run.Folder, "events.jsonl");
        await File.WriteAllLinesAsync(input, [Down("gone", t0), RuleDown("gone-too", t0), Down("blinked", t0), Up("blinked", t0.AddMilliseconds(200)), "not json"]);

        var process = run.Start("--input", input, "--exit-when-idle");

        Assert.True(await process.WaitForExitAsync() == 0, process.ToString());
        run.AssertNotifiedExactly([OutageId("gone", t0), OutageId("gone-too", t0)], process.ToString());
        Assert.StartsWith("line 5: not valid JSON", process.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, run.Count("SELECT count(*) FROM device WHERE wake_at IS NOT NULL"));
    }

    [Fact]
    public async Task ExitWhenIdle_PastEventsOfBlinkingThings_RechecksWaitUntilEveryEventIsRecorded()
    {
        // Re-checks of past disconnects are overdue at once; they must judge the state only after every event read
        // has been recorded, or a blink's own reconnect (still queued for recording) is missed and it is notified.
        await using var run = new RunWorkspace();
        var t0 = Now().AddMinutes(-5);
        var lines = new List<string> { Down("gone", t0) };
        for (var thing = 0; thing < 50; thing++)
        {
            for (var blink = 0; blink < 4; blink++)
            {
                var down = t0.AddSeconds((thing * 0.1) + (blink * 3));
                lines.Add(Down($"blinker-{thing}", down));
                lines.Add(Up($"blinker-{thing}", down.AddMilliseconds(500)));
            }
        }

        var input = Path.Combine(run.Folder, "events.jsonl");
        await File.WriteAllLinesAsync(input, lines);

        var process = run.Start("--input", input, "--exit-when-idle");

        Assert.True(await process.WaitForExitAsync() == 0, process.ToString());
        run.AssertNotifiedExactly([OutageId("gone", t0)], process.ToString());
    }

    [Fact]
    public async Task ExitWhenIdle_NoInputAndNothingStored_ExitsAtOnce()
    {
        await using var run = new RunWorkspace();
        var process = run.Start("--exit-when-idle");
        process.CloseInput();

        Assert.True(await process.WaitForExitAsync() == 0, process.ToString());
        Assert.Empty(run.NotificationLines());
    }

    [Fact]
    public async Task NoNotifyFile_PrintsOneNotificationLinePerLongOutageOnStandardOutput()
    {
        await using var run = new RunWorkspace();
        var process = run.StartRaw("run", "--grace", Grace, "--store", run.StorePath, "--exit-when-idle");
        var t0 = Now();
        await process.WriteLinesAsync(LifecycleDown("sensor-1", t0, 4), Down("sensor-2", t0), Down("sensor-3", t0));
        await UntilPastAsync(t0.AddMilliseconds(300));
        await process.WriteLinesAsync(Up("sensor-3", t0.AddMilliseconds(300)));
        process.CloseInput();

        Assert.True(await process.WaitForExitAsync() == 0, process.ToString());
        var lines = process.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var notifications = lines.Select(line => JsonDocument.Parse(line).RootElement).OrderBy(n => n.GetProperty("thing").GetString()).ToArray();
        Assert.Equal(["sensor-1", "sensor-2"], notifications.Select(n => n.GetProperty("thing").GetString()));
        foreach (var notification in notifications)
        {
            var thing = notification.GetProperty("thing").GetString()!;
            Assert.Equal(["id", "thing", "verdict", "offlineSince", "decidedAt", "grace"], notification.EnumerateObject().Select(p => p.Name));
            Assert.Equal(OutageId(thing, t0), notification.GetProperty("id").GetString());
            Assert.Equal("notify", notification.GetProperty("verdict").GetString());
            Assert.Equal(Iso(t0), notification.GetProperty("offlineSince").GetString());
            Assert.Equal("00:00:02", notification.GetProperty("grace").GetString());
            Assert.True(notification.GetProperty("decidedAt").GetDateTimeOffset() >= t0 + GracePeriod);
        }
    }
}
