using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>
/// The presets' telemetry through a real Mosquitto: subscribed when the engine watches for silence, forwarded as signs
/// of life (never as states), and not subscribed at all otherwise.
/// </summary>
[Collection(SharedMosquitto.Name)]
public sealed class HeartbeatTests(MosquittoFixture fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task EngineWatchesSilence_TasmotaTelemetry_ForwardedAsSignsOfLifeAfterItsOnline()
    {
        var device = Names.Unique("tas");
        await using var host = await SourceHost.StartAsync(
            Broker.Uri,
            options => options.Presets.Add(MqttPreset.Tasmota),
            services: services => services.Configure<GracefulDisconnectOptions>(o => o.SilentAfter = TimeSpan.FromMinutes(5)));

        await Broker.PublishAsync($"tele/{device}/LWT", "Online");
        await Broker.PublishAsync($"tele/{device}/STATE", """{"Uptime":"0T00:05:00","POWER":"ON"}""");
        await Broker.PublishAsync($"tele/{device}/SENSOR", """{"ENERGY":{"Power":3}}""");

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 3, () => $"the three messages; log: {host.LogText()}");
        Assert.Equal([(false, true), (true, true), (true, true)], host.Sink.EventsOf(device).Select(e => (e.SignOfLife, e.Connected)));
    }

    [Fact]
    public async Task NoSilenceDetection_TasmotaTelemetry_NeverSubscribed()
    {
        var device = Names.Unique("tas");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.Tasmota));

        await Broker.PublishAsync($"tele/{device}/STATE", """{"POWER":"ON"}""");
        await Broker.PublishAsync($"tele/{device}/LWT", "Offline");

        // The Offline, published after, arrives; the STATE before it never does, nor does the source see it at all.
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the Offline; log: {host.LogText()}");
        Assert.False(Assert.Single(host.Sink.EventsOf(device)).SignOfLife);
        Assert.DoesNotContain("STATE", host.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnHeartbeatTopic_AnyMessage_ForwardedAsASignOfLife()
    {
        var device = Names.Unique("pump");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options =>
        {
            options.Mappings.Add(new MqttTopicMapping { Topic = "site/{thing}/status", Up = ["up"], Down = ["down"] });
            options.HeartbeatTopics.Add("site/{thing}/data/#");
        });

        await Broker.PublishAsync($"site/{device}/data/flow", "12.5");

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the data message; log: {host.LogText()}");
        Assert.True(host.Sink.EventsOf(device)[0].SignOfLife);
    }

    [Fact]
    public async Task Zigbee2MqttWithTelemetry_AvailabilityMessage_ForwardedOnceNotOncePerSubscription()
    {
        var device = Names.Unique("z");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options =>
        {
            options.Presets.Add(MqttPreset.Zigbee2Mqtt);
            options.PresetHeartbeats = true;
        });

        await Broker.PublishAsync($"zigbee2mqtt/{device}/availability", """{"state":"offline"}""");
        await Broker.PublishAsync($"zigbee2mqtt/{device}", """{"state":"ON"}""");

        // The telemetry, published after, is in: a second copy of the availability would be too (Mosquitto sends one per
        // matching subscription, in order).
        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Any(e => e.SignOfLife), () => $"the telemetry; log: {host.LogText()}");
        Assert.Equal([(false, false), (true, true)], host.Sink.EventsOf(device).Select(e => (e.SignOfLife, e.Connected)));
    }

    [Fact]
    public async Task OwnHeartbeatTopicOverTheAvailabilityTopic_WarnedOnStart()
    {
        await using var host = await SourceHost.StartAsync(Broker.Uri, options =>
        {
            options.Mappings.Add(new MqttTopicMapping { Topic = "site/{thing}/status", Up = ["up"], Down = ["down"] });
            options.HeartbeatTopics.Add("site/{thing}/#");
        });

        var warning = Assert.Single(host.Logs.GetSnapshot(), record => record.Id.Id == 5006);
        Assert.Contains("site/+/#", warning.Message, StringComparison.Ordinal);
        Assert.Contains("site/+/status", warning.Message, StringComparison.Ordinal);
    }
}
