using System.Globalization;
using System.Text.Json;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// <c>run --mqtt --preset tasmota --silent-after</c> against a real Mosquitto: a device that announced itself Online and
/// then publishes only telemetry (Tasmota's <c>tele/x/STATE</c>, or a <c>--heartbeat-topic</c>) is never told while it
/// publishes, is told once as silent when it stops, and is recovered when it publishes again. A device that publishes
/// nothing after its Online is the control: the same silence, told while the others talk.
/// </summary>
public sealed class RunMqttHeartbeatTests
{
    private static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Mqtt_TelemetryOnly_NoAlertWhileItPublishes_SilentOnceWhenItStops_RecoveredWhenItPublishesAgain()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var workspace = new RunWorkspace();
        var p = "hb" + Guid.NewGuid().ToString("N")[..8];
        var (tasmota, site, quiet) = ($"{p}-tas", $"{p}-site", $"{p}-quiet");
        var run = workspace.Start(
            "--mqtt", broker.Uri, "--mqtt-client-id", "gd-cli-" + p, "--preset", "tasmota", "--heartbeat-topic", "site/{thing}/#",
            "--silent-after", "3s", "--recovery", "--verbose");
        await RunWorkspace.UntilAsync(() => run.StdErr.Contains("[5000]", StringComparison.Ordinal) || run.HasExited, () => $"run to subscribe\n{run}");
        Assert.Contains("tele/+/STATE", run.StdErr, StringComparison.Ordinal);

        foreach (var thing in new[] { tasmota, site, quiet })
        {
            await broker.PublishAsync($"tele/{thing}/LWT", "Online", retain: true);
        }

        // The source counts the broker's backlog as delivered after a quiet second (IngestProgress.Quiet); until then
        // the engine holds due checks (up to 10 s), which would make the control late for reasons not tested here.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // Telemetry only, for well over the silence threshold.
        var talkedUntil = DateTimeOffset.UtcNow + (SilentAfter * 2);
        while (DateTimeOffset.UtcNow < talkedUntil)
        {
            await broker.PublishAsync($"tele/{tasmota}/STATE", """{"Uptime":"0T00:01:00","POWER":"ON"}""");
            await broker.PublishAsync($"site/{site}/flow/litres", "12.5");
            await Task.Delay(300);
        }

        var stopped = DateTimeOffset.UtcNow;
        await RunWorkspace.UntilAsync(() => Lines(workspace, tasmota).Count >= 1 && Lines(workspace, site).Count >= 1, () => $"the two to be told silent once they stop\n{run}");

        foreach (var thing in new[] { tasmota, site })
        {
            var silent = Lines(workspace, thing)[0];
            Assert.Equal("notify", silent.GetProperty("verdict").GetString());

            // A silence is told with its threshold as its grace (the run's grace is 2 s): not an LWT outage.
            Assert.Equal("00:00:03", silent.GetProperty("grace").GetString());

            // Told after the threshold since the last telemetry, never while it talked.
            var decided = Time(silent, "decidedAt");
            Assert.True(decided >= stopped.AddMilliseconds(-400) + SilentAfter, $"{thing} told at {decided:O}, stopped at {stopped:O}\n{run}");
            Assert.InRange(Time(silent, "offlineSince"), talkedUntil.AddSeconds(-1), stopped.AddSeconds(1));
        }

        // The control, quiet since its Online, was told while the others still talked.
        var control = Assert.Single(Lines(workspace, quiet));
        Assert.True(Time(control, "decidedAt") < talkedUntil, $"the control told at {Time(control, "decidedAt"):O}\n{run}");

        // It speaks again: a recovery, once; then nothing more while it keeps talking.
        await broker.PublishAsync($"tele/{tasmota}/SENSOR", """{"ENERGY":{"Power":3}}""");
        await RunWorkspace.UntilAsync(() => Lines(workspace, tasmota).Count >= 2, () => $"the recovery\n{run}");
        await broker.PublishAsync($"tele/{tasmota}/STATE", """{"POWER":"ON"}""");
        await Task.Delay(SilentAfter / 2);

        Assert.Equal(["notify", "recovered"], Lines(workspace, tasmota).Select(line => line.GetProperty("verdict").GetString()));
        Assert.False(run.HasExited, run.ToString());
    }

    // Whole lines only: the process may be writing the next one right now.
    private static List<JsonElement> Lines(RunWorkspace workspace, string thing)
    {
        if (!File.Exists(workspace.NotifyPath))
        {
            return [];
        }

        var text = File.ReadAllText(workspace.NotifyPath);
        return [.. text[..(text.LastIndexOf('\n') + 1)]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(json => json.GetProperty("thing").GetString() == thing)];
    }

    private static DateTimeOffset Time(JsonElement line, string property) => DateTimeOffset.Parse(line.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);
}
