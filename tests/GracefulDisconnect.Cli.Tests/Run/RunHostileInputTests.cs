using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary><c>gracefuldisconnect run</c> as a child process fed lines that are well-formed but wrong.</summary>
public sealed class RunHostileInputTests
{
    [Fact]
    public async Task EventsDatedFarAhead_AreReportedAndSkipped_NeitherHidingLaterEventsNorKeepingTheToolBusy()
    {
        await using var run = new RunWorkspace();
        var process = run.Start("--exit-when-idle");
        var t0 = Now();

        // A connect dated 2099 would hide every real change of the thing until then; a disconnect dated 9999
        // would stay pending for ever, and --exit-when-idle would never exit.
        await process.WriteLinesAsync(
            Up("poisoned", new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Down("poisoned", t0),
            """{"thing":"far-future","connected":false,"at":"9999-12-31T23:59:59.999Z"}""",
            $$"""{"clientId":"lifecycle-future","timestamp":{{t0.AddDays(1).ToUnixTimeMilliseconds()}},"eventType":"disconnected"}""",
            Down("skewed-a-little", t0.AddSeconds(1)));
        process.CloseInput();

        Assert.True(await process.WaitForExitAsync() == 0, process.ToString());
        var errors = process.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith("line ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            [
                "line 1: the event time 2099-01-01T00:00:00.000Z is more than 1 h ahead of this machine's clock; skipped",
                "line 3: the event time 9999-12-31T23:59:59.999Z is more than 1 h ahead of this machine's clock; skipped",
                $"line 4: the event time {Iso(t0.AddDays(1))} is more than 1 h ahead of this machine's clock; skipped",
            ],
            errors);
        run.AssertNotifiedExactly([OutageId("poisoned", t0), OutageId("skewed-a-little", t0.AddSeconds(1))], process.ToString());
    }
}
