using System.Text.Json;
using static GracefulDisconnect.Cli.Tests.Run.Http.StatusTestSupport;
using static GracefulDisconnect.Cli.Tests.Run.RunWorkspace;

namespace GracefulDisconnect.Cli.Tests.Run.Http;

/// <summary><c>run --silent-after</c> as a real child process: a device that stops talking is notified once, and recovered when it talks.</summary>
public sealed class RunSilentTests
{
    [Fact]
    public async Task SilentAfter_DeviceStopsTalking_NotifiedOnceThenRecoveredWhenItSpeaks()
    {
        await using var run = new RunWorkspace();
        var port = FreePort();
        var process = run.Start("--silent-after", "2s", "--recovery", "--http", $"127.0.0.1:{port}");
        var heard = Now();
        await process.WriteLinesAsync(Up("quiet", heard), Up("chatty", heard));

        // The chatty one keeps talking (a connect repeated is a sign of life); the quiet one says nothing more.
        var until = DateTimeOffset.UtcNow.AddSeconds(4);
        while (DateTimeOffset.UtcNow < until)
        {
            await Task.Delay(400);
            await process.WriteLinesAsync(Up("chatty", Now()));
        }

        await UntilAsync(() => run.NotificationLines().Length >= 1, () => "the silence notified\n" + process);
        using var client = Client(port);
        var page = await client.GetStringAsync("");
        Assert.Contains("yes, silent", page, StringComparison.Ordinal);

        await process.WriteLinesAsync(Up("quiet", Now()));
        await UntilAsync(() => run.NotificationLines().Length >= 2, () => "the recovery\n" + process);
        await Task.Delay(1000);

        // The chatty one is silent too once the test stops feeding it, but never while it talked.
        var all = run.NotificationLines().Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.DoesNotContain(all, l => l.GetProperty("thing").GetString() == "chatty" && DateTimeOffset.Parse(l.GetProperty("decidedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < until);
        var lines = all.Where(l => l.GetProperty("thing").GetString() == "quiet").ToList();
        Assert.Equal(["quiet:notify", "quiet:recovered"], lines.Select(l => $"{l.GetProperty("thing").GetString()}:{l.GetProperty("verdict").GetString()}"));

        // The outage began when it was last heard from (the engine's clock, within the time it took to record the line).
        var since = DateTimeOffset.Parse(lines[0].GetProperty("offlineSince").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(since, heard.AddSeconds(-1), heard.AddSeconds(2));
        Assert.Equal("00:00:02", lines[0].GetProperty("grace").GetString());
    }
}
