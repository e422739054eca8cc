using System.Text.Json;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// <c>run --config</c> alone, no source flags: the MQTT source, the grace (written <c>2s</c>), the store and the notify
/// file all come from the file, and the broker's password from the environment.
/// </summary>
public sealed class RunConfigMqttTests
{
    [Fact]
    public async Task Config_MqttSourceGraceStoreAndNotifyFileFromTheFile_RetainedOutageNotified()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var workspace = new RunWorkspace();
        var thing = "cfg" + Guid.NewGuid().ToString("N")[..8];
        var config = Path.Combine(workspace.Folder, "gracefuldisconnect.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            GracefulDisconnect = new
            {
                GracePeriod = "2s",
                Store = new { Path = workspace.StorePath },
                NotifyFile = new { Path = workspace.NotifyPath },
                Mqtt = new { Broker = broker.Uri, Username = "gd", ClientId = "gd-cli-" + thing, Presets = new[] { "Tasmota" }, KeepAlive = "30s" },
            },
        }));

        // The broker allows anonymous clients and ignores it; what matters is that it is never printed.
        workspace.Environment["GracefulDisconnect__Mqtt__Password"] = "env-only-Secret-42";
        await broker.PublishAsync($"tele/{thing}/LWT", "Offline", retain: true);

        var run = workspace.StartRaw("run", "--config", config, "--verbose");
        await RunWorkspace.UntilAsync(() => workspace.NotificationLines().Length > 0 || run.HasExited, () => $"the retained outage to be notified\n{run}");

        Assert.False(run.HasExited, run.ToString());
        var ids = workspace.NotifiedIds();
        Assert.StartsWith(thing + "@", Assert.Single(ids), StringComparison.Ordinal);
        Assert.DoesNotContain("env-only-Secret-42", run.StdErr, StringComparison.Ordinal);

        run.Signal("TERM");
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    [Fact]
    public async Task Config_HeartbeatTopicsAndPresetHeartbeatsFromTheFile_SubscribedAsGiven()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var workspace = new RunWorkspace();
        var thing = "cfghb" + Guid.NewGuid().ToString("N")[..8];
        var config = Path.Combine(workspace.Folder, "gracefuldisconnect.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            GracefulDisconnect = new
            {
                GracePeriod = "2s",
                SilentAfter = "1m",
                Store = new { Path = workspace.StorePath },
                NotifyFile = new { Path = workspace.NotifyPath },
                Mqtt = new
                {
                    Broker = broker.Uri,
                    ClientId = "gd-cli-" + thing,
                    Presets = new[] { "Tasmota" },
                    PresetHeartbeats = false,
                    HeartbeatTopics = new[] { "site/{thing}/data/#" },
                },
            },
        }));

        var run = workspace.StartRaw("run", "--config", config, "--verbose");
        await RunWorkspace.UntilAsync(() => run.StdErr.Contains("[5000]", StringComparison.Ordinal) || run.HasExited, () => $"run to subscribe\n{run}");

        // SilentAfter would bring the preset's telemetry; the file turned it off and gave its own topic.
        Assert.Contains("subscribed to tele/+/LWT, site/+/data/#", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("tele/+/STATE", run.StdErr, StringComparison.Ordinal);
        run.Signal("TERM");
        Assert.Equal(0, await run.WaitForExitAsync());
    }
}
