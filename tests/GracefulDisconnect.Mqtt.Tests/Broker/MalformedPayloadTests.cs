namespace GracefulDisconnect.Mqtt.Tests.Broker;

/// <summary>Bad input never crashes the source and never disappears silently: reported (topic and payload) and skipped.</summary>
[Collection(SharedMosquitto.Name)]
public sealed class MalformedPayloadTests(MosquittoFixture fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task UnknownPayloads_ReportedWithTopicAndPayload_SkippedAndLaterMessagesStillForwarded()
    {
        var (tasmota, zigbee) = (Names.Unique("tas"), Names.Unique("z2m"));
        await using var host = await SourceHost.StartAsync(Broker.Uri, options =>
        {
            options.Presets.Add(MqttPreset.Tasmota);
            options.Presets.Add(MqttPreset.Zigbee2Mqtt);
        });

        await Broker.PublishAsync($"tele/{tasmota}/LWT", "offline"); // Tasmota's payloads are case-sensitive
        await Broker.PublishAsync($"zigbee2mqtt/{zigbee}/availability", """{"state":""");
        await Broker.PublishAsync($"zigbee2mqtt/{zigbee}/availability", """{"linkquality":87}""");
        await Broker.PublishAsync($"zigbee2mqtt/{zigbee}/availability", new string('x', 500) + "\u001b[31m");
        await Broker.PublishAsync($"tele/{tasmota}/LWT", "Offline");
        await Broker.PublishAsync($"zigbee2mqtt/{zigbee}/availability", """{"state":"offline"}""");

        await Eventually.TrueAsync(
            () => host.Sink.EventsOf(tasmota).Count == 1 && host.Sink.EventsOf(zigbee).Count == 1,
            () => $"the two valid messages; log: {host.LogText()}");
        var warnings = host.Logs.GetSnapshot().Where(r => r.Id.Id == 5020).Select(r => r.Message).ToList();
        Assert.Contains(warnings, m => m.Contains($"tele/{tasmota}/LWT", StringComparison.Ordinal) && m.Contains("'offline'", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains($"zigbee2mqtt/{zigbee}/availability", StringComparison.Ordinal) && m.Contains("""{"state":""", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("linkquality", StringComparison.Ordinal));
        var longOne = Assert.Single(warnings, m => m.Contains("xxxx", StringComparison.Ordinal));
        Assert.Contains("(505 bytes)", longOne, StringComparison.Ordinal);
        Assert.True(longOne.Length < 400, "a payload is truncated in the log");
        Assert.True(host.Status.IsConnected);
    }

    [Fact]
    public async Task InvalidThingName_ReportedAndSkipped()
    {
        var tooLong = "dev-" + new string('n', ThingName.MaxLength);
        var valid = Names.Unique("esp");
        await using var host = await SourceHost.StartAsync(Broker.Uri, options => options.Presets.Add(MqttPreset.ESPHome));

        await Broker.PublishAsync($"{tooLong}/status", "offline");
        await Broker.PublishAsync($"{valid}/status", "offline");

        await Eventually.TrueAsync(() => host.Sink.EventsOf(valid).Count == 1, () => $"the valid device's event; log: {host.LogText()}");
        Assert.Empty(host.Sink.EventsOf(tooLong));
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 5021);
        Assert.Contains("at most 128 characters", warning.Message, StringComparison.Ordinal);
    }
}
