using System.Text.Json;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// <c>run --mqtt</c> against a real Mosquitto, with the Tasmota, Zigbee2MQTT and Homie presets at once, their devices'
/// real payloads, grace 2 s: what was down before we started is notified once and not again after a kill -9 and a
/// restart on the same store; a device that stays down is notified once; blips of each convention never.
/// </summary>
public sealed class RunMqttTests
{
    [Fact]
    public async Task Mqtt_ThreePresets_RetainedOutageNotifiedOnceAcrossKillAndRestart_LongOutageOnce_BlipsNever()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var workspace = new RunWorkspace();
        var p = "t" + Guid.NewGuid().ToString("N")[..8];

        // Down before we start, retained as each convention publishes it (Tasmota's LWT, Zigbee2MQTT 2.x's availability).
        await broker.PublishAsync($"tele/{p}-tas-held/LWT", "Offline", retain: true);
        await broker.PublishAsync($"zigbee2mqtt/{p}-z-held/availability", """{"state":"offline"}""", retain: true);

        var first = StartRun(workspace, broker, p);
        await WaitConnectedAsync(first);
        await RunWorkspace.UntilAsync(
            () => workspace.NotifiedThings().Contains($"{p}-tas-held") && workspace.NotifiedThings().Contains($"{p}-z-held"),
            () => $"the retained outages to be notified\n{first}");

        // Blips: down then up well within the grace, in each convention's payloads (Zigbee2MQTT both 2.x and 1.x).
        (string Topic, string Down, string Up)[] blips =
        [
            ($"tele/{p}-tas-blip/LWT", "Offline", "Online"),
            ($"zigbee2mqtt/{p}-z-blip/availability", """{"state":"offline"}""", """{"state":"online"}"""),
            ($"zigbee2mqtt/{p}-z1-blip/availability", "offline", "online"),
            ($"homie/{p}-h-blip/$state", "lost", "ready"),
            ($"homie/{p}-h-blip2/$state", "disconnected", "ready"),
        ];
        foreach (var (topic, down, _) in blips)
        {
            await broker.PublishAsync(topic, down, retain: true);
        }

        foreach (var (topic, _, up) in blips)
        {
            await broker.PublishAsync(topic, up, retain: true);
        }

        // Down after the blips and for good: once it is notified, the blips' re-checks (due earlier) have been decided.
        await broker.PublishAsync($"homie/{p}-h-down/$state", "lost", retain: true);
        await RunWorkspace.UntilAsync(() => workspace.NotifiedThings().Contains($"{p}-h-down"), () => $"the long outage to be notified\n{first}");

        first.Kill();

        // The same store, the same client id: the broker resends every retained state on the new subscription.
        var second = StartRun(workspace, broker, p);
        await WaitConnectedAsync(second);
        await broker.PublishAsync($"tele/{p}-tas-after/LWT", "Offline");
        await RunWorkspace.UntilAsync(() => workspace.NotifiedThings().Contains($"{p}-tas-after"), () => $"the outage after the restart to be notified\n{second}");

        var things = workspace.NotifiedThings();
        var context = $"{string.Join('\n', workspace.NotificationLines())}\n{first}\n{second}";
        foreach (var thing in new[] { "tas-held", "z-held", "h-down", "tas-after" })
        {
            Assert.True(things.Count(notified => notified == $"{p}-{thing}") == 1, $"{p}-{thing} must be notified exactly once\n{context}");
        }

        Assert.True(things.Count == 4, $"only the four outages are notified, never a blip\n{context}");
        Assert.False(second.HasExited, second.ToString());
    }

    [Fact]
    public async Task Mqtt_BackWhileKilled_ReconnectWaitingInTheBroker_IsRecordedBeforeTheOverdueRecheck_ARecoveryNeverAnOfflineAlarm()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var workspace = new RunWorkspace();
        var p = "w" + Guid.NewGuid().ToString("N")[..8];
        var thing = $"{p}-blip";

        var first = StartRun(workspace, broker, p);
        await WaitConnectedAsync(first);
        await broker.PublishAsync($"tele/{thing}/LWT", "Offline", retain: true);
        await RunWorkspace.UntilAsync(() => workspace.StoredState(thing) == false, () => $"the disconnect to be recorded\n{first}");

        // Killed inside the grace; the device is back at once (a blip), while no engine runs: the broker holds the
        // "Online" for our session (QoS 1) and as the retained state.
        first.Kill();
        await broker.PublishAsync($"tele/{thing}/LWT", "Online", retain: true);
        await RunWorkspace.UntilPastAsync(DateTimeOffset.UtcNow + RunWorkspace.GracePeriod + TimeSpan.FromSeconds(1));

        // The re-check is overdue when the engine starts again, but what the broker kept for us comes first: the device is
        // back. MQTT payloads carry no time, so when it came back is known only as "by the time we heard it": the outage
        // is told once as it is known, a recovery from the disconnect to then (DESIGN §4 rule 2), never "offline".
        var second = StartRun(workspace, broker, p);
        await WaitConnectedAsync(second);
        await RunWorkspace.UntilAsync(() => workspace.StoredState(thing) == true, () => $"the reconnect to be recorded\n{second}");
        await broker.PublishAsync($"tele/{p}-down/LWT", "Offline");
        await RunWorkspace.UntilAsync(() => workspace.NotifiedThings().Contains($"{p}-down"), () => $"a later outage to be notified (so the blip's re-check is long decided)\n{second}");

        var lines = workspace.NotificationLines();
        var verdicts = lines.Select(line => JsonDocument.Parse(line).RootElement).Select(json => (json.GetProperty("thing").GetString(), json.GetProperty("verdict").GetString())).ToList();
        Assert.True(verdicts.SequenceEqual([(thing, "recovered"), ($"{p}-down", "notify")]), string.Join("\n", lines));
    }

    [Fact]
    public async Task Mqtt_Sigterm_StopsGracefullyAndExits0_NeverLoggingThePassword()
    {
        const string password = "uri-Secret-pass-7";
        await using var broker = await MosquittoBroker.StartAsync();
        await using var workspace = new RunWorkspace();

        // The test broker accepts any user name and password (anonymous listener); the URI's are only there to be hidden.
        var run = StartRun(workspace, $"mqtt://gd:{password}@127.0.0.1:{broker.Port}", "sig" + Guid.NewGuid().ToString("N")[..8]);
        await WaitConnectedAsync(run);

        run.Signal("TERM");

        Assert.Equal(0, await run.WaitForExitAsync());

        // The source said goodbye to the broker (event 5005), keeping the session for the next start.
        Assert.Contains("[5005]", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(password, run.StdErr + run.StdOut, StringComparison.Ordinal);
    }

    private static RunningCli StartRun(RunWorkspace workspace, MosquittoBroker broker, string clientId) => StartRun(workspace, broker.Uri, clientId);

    private static RunningCli StartRun(RunWorkspace workspace, string brokerUri, string clientId)
        => workspace.Start("--mqtt", brokerUri, "--mqtt-client-id", "gd-cli-" + clientId, "--preset", "tasmota", "--preset", "zigbee2mqtt", "--preset", "homie", "--verbose");

    // The source logs event 5000 once connected and subscribed (with --verbose).
    private static async Task WaitConnectedAsync(RunningCli run)
    {
        await RunWorkspace.UntilAsync(() => run.StdErr.Contains("[5000]", StringComparison.Ordinal) || run.HasExited, () => $"run to subscribe\n{run}");
        Assert.False(run.HasExited, run.ToString());
    }
}
