namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>Each convention's real topics and payloads, published with mosquitto_pub to a real Mosquitto.</summary>
[Collection(SharedMosquitto.Name)]
public sealed class PresetTests(MosquittoFixture fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Theory]
    [InlineData(MqttPreset.Tasmota, "tele/{0}/LWT", "Online", "Offline")]
    [InlineData(MqttPreset.ESPHome, "{0}/status", "online", "offline")]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/{0}/availability", """{"state":"online"}""", """{"state":"offline"}""")]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/{0}/availability", "online", "offline")]
    [InlineData(MqttPreset.Homie, "homie/{0}/$state", "ready", "lost")]
    [InlineData(MqttPreset.Homie, "homie/{0}/$state", "ready", "disconnected")]
    [InlineData(MqttPreset.Shelly, "shellies/{0}/online", "true", "false")]
    [InlineData(MqttPreset.Shelly, "{0}/online", "true", "false")]
    [InlineData(MqttPreset.HomeAssistant, "{0}/availability", "online", "offline")]
    public async Task Preset_DownThenUpPublished_ForwardsDisconnectThenConnectAtTimeReceived(MqttPreset preset, string topicFormat, string up, string down)
    {
        var device = Names.Unique("dev");
        var topic = string.Format(topicFormat, device);
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(preset));
        var before = DateTimeOffset.UtcNow;

        await Broker.PublishAsync(topic, down);
        await Broker.PublishAsync(topic, up);

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count >= 2, () => $"a down and an up of {device}; log: {host.LogText()}");
        var events = host.Sink.EventsOf(device);
        Assert.Equal([false, true], events.Select(e => e.Connected));
        Assert.All(events, e =>
        {
            // MQTT messages carry no time: the event happened when it reached us.
            Assert.Equal(e.ReceivedAt, e.At);
            Assert.InRange(e.At, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Null(e.Version);
        });
    }

    [Fact]
    public async Task Presets_SeveralAtOnce_EachConventionForwarded()
    {
        var (tasmota, zigbee, homie) = (Names.Unique("tas"), Names.Unique("z2m"), Names.Unique("homie"));
        await using var host = await SourceHost.StartAsync(Broker.Uri, options =>
        {
            options.Presets.Add(MqttPreset.Tasmota);
            options.Presets.Add(MqttPreset.Zigbee2Mqtt);
            options.Presets.Add(MqttPreset.Homie);
        });

        await Broker.PublishAsync($"tele/{tasmota}/LWT", "Offline");
        await Broker.PublishAsync($"zigbee2mqtt/{zigbee}/availability", """{"state":"offline"}""");
        await Broker.PublishAsync($"homie/{homie}/$state", "lost");

        await Eventually.TrueAsync(
            () => new[] { tasmota, zigbee, homie }.All(device => host.Sink.EventsOf(device).Count == 1),
            () => $"one disconnect of each device; log: {host.LogText()}");
        Assert.All([tasmota, zigbee, homie], device => Assert.False(host.Sink.EventsOf(device).Single().Connected));
    }

    [Fact]
    public async Task Zigbee2Mqtt_FriendlyNameWithSlashes_WholeNameIsTheDevice()
    {
        var device = $"kitchen/{Names.Unique("lamp")}";
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.Zigbee2Mqtt));

        await Broker.PublishAsync($"zigbee2mqtt/{device}/availability", """{"state":"offline"}""");

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count == 1, () => $"the offline of {device}; log: {host.LogText()}");
        Assert.False(host.Sink.EventsOf(device).Single().Connected);
    }

    [Fact]
    public async Task AwsIotPresence_LifecycleEvents_KeepTheirTimestampAndVersion()
    {
        var clientId = Names.Unique("aws");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.AwsIotPresence));

        await Broker.PublishAsync(
            $"$aws/events/presence/connected/{clientId}",
            $$"""{"clientId":"{{clientId}}","timestamp":1573002230757,"eventType":"connected","sessionIdentifier":"a4666d2a","principalIdentifier":"1234","ipAddress":"192.0.2.0","versionNumber":3}""");
        await Broker.PublishAsync(
            $"$aws/events/presence/disconnected/{clientId}",
            $$"""{"clientId":"{{clientId}}","timestamp":1573002340451,"eventType":"disconnected","clientInitiatedDisconnect":false,"disconnectReason":"MQTT_KEEP_ALIVE_TIMEOUT","versionNumber":3}""");

        await Eventually.TrueAsync(() => host.Sink.EventsOf(clientId).Count >= 2, () => $"both lifecycle events; log: {host.LogText()}");
        var events = host.Sink.EventsOf(clientId);
        Assert.Equal(new ConnectionEvent(clientId, true, DateTimeOffset.FromUnixTimeMilliseconds(1573002230757), 3, events[0].ReceivedAt), events[0]);
        Assert.Equal(new ConnectionEvent(clientId, false, DateTimeOffset.FromUnixTimeMilliseconds(1573002340451), 3, events[1].ReceivedAt), events[1]);
        Assert.True(events[1].ReceivedAt > events[1].At, "the source's own time is kept; arrival time is ReceivedAt");
    }

    [Fact]
    public async Task Homie_InitSleepingAlert_IgnoredWithoutWarning()
    {
        var device = Names.Unique("homie");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.Homie));

        foreach (var state in new[] { "init", "sleeping", "alert", "ready" })
        {
            await Broker.PublishAsync($"homie/{device}/$state", state);
        }

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count >= 1, () => $"the ready state; log: {host.LogText()}");
        Assert.True(host.Sink.EventsOf(device).Single().Connected);
        var records = host.Logs.GetSnapshot();
        Assert.Equal(3, records.Count(r => r.Id.Id == 5022 && r.Message.Contains(device, StringComparison.Ordinal)));
        Assert.DoesNotContain(records, r => r.Id.Id == 5020 && r.Message.Contains(device, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mapping_JsonFieldCaseInsensitive_MapsNamedSegment()
    {
        var device = Names.Unique("site");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Mappings.Add(new MqttTopicMapping
        {
            Topic = "plant/+/{thing}/health",
            Up = ["up"],
            Down = ["down"],
            JsonField = "status.state",
            CaseSensitive = false,
        }));

        await Broker.PublishAsync($"plant/hall-2/{device}/health", """{"status":{"state":"DOWN"},"rssi":-70}""");
        await Broker.PublishAsync($"plant/hall-2/{device}/health", """{"status":{"state":"Up"}}""");

        await Eventually.TrueAsync(() => host.Sink.EventsOf(device).Count >= 2, () => $"a down and an up; log: {host.LogText()}");
        Assert.Equal([false, true], host.Sink.EventsOf(device).Select(e => e.Connected));
    }
}
