using GracefulDisconnect.Cli.Run.Http;

namespace GracefulDisconnect.Cli.Tests.Run.Http;

/// <summary>What the status page says in the cases a running engine rarely shows on demand: a blind source, flapping, outages told.</summary>
public sealed class StatusPageRenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_SourceNotConnected_SaysTheEngineIsBlindAndSinceWhen()
    {
        var html = StatusPage.Render(Snapshot(new EventSourceState("mqtts://broker.lan:8883", Connected: false, Now.AddMinutes(-3)), [], []));

        Assert.Contains("<p class=\"bad\"><b>Source not connected</b>: mqtts://broker.lan:8883 (since 2026-03-01 11:57:00Z)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Source <b class=\"ok\">connected</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FlappingDevicesAmongTheRows_AreListedEscaped_AndARecoveredRowSaysWhichOutageWasTold()
    {
        StatusRow[] offline = [new("<b>pump</b>", Now.AddMinutes(-2), new DeviceAlertState("<b>pump</b>") { Flapping = true })];
        StatusRow[] back =
        [
            new("lamp", Now.AddMinutes(-5), new DeviceAlertState("lamp") { Flapping = true, LastNotifiedOutageStartedAt = Now.AddHours(-1) }),
            new("fan", Now.AddMinutes(-6), new DeviceAlertState("fan")),
        ];

        var html = StatusPage.Render(Snapshot(new EventSourceState("standard input", Connected: true, null), offline, back));

        Assert.Contains("<h2>Flapping</h2><p class=\"warn\"><span class=\"thing\">&lt;b&gt;pump&lt;/b&gt;</span>, <span class=\"thing\">lamp</span></p>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"told\">offline since 2026-03-01 11:00:00Z</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"told\"><span class=\"muted\">none</span></td>", html, StringComparison.Ordinal);
        Assert.Contains("Source <b class=\"ok\">connected</b>: standard input</p>", html, StringComparison.Ordinal);
    }

    private static StatusSnapshot Snapshot(EventSourceState source, StatusRow[] offline, StatusRow[] back)
        => new(Now, "store.db", source, new DeviceStoreCounts(0, 0, offline.Length), offline, null, back, ["file"], [], null);
}
