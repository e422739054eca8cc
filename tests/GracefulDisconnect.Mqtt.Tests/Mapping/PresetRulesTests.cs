using System.Buffers;
using System.Text;

namespace GracefulDisconnect.Mqtt.Tests.Mapping;

public sealed class PresetRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(MqttPreset.Tasmota, "tele/plug/LWT", "Online", true)]
    [InlineData(MqttPreset.Tasmota, "tele/plug/LWT", "Offline", false)]
    [InlineData(MqttPreset.ESPHome, "plug/status", "online", true)]
    [InlineData(MqttPreset.ESPHome, "plug/status", "offline", false)]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/plug/availability", """{"state":"online"}""", true)]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/plug/availability", """{"state":"offline"}""", false)]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/plug/availability", "online", true)]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/plug/availability", "offline", false)]
    [InlineData(MqttPreset.Homie, "homie/plug/$state", "ready", true)]
    [InlineData(MqttPreset.Homie, "homie/plug/$state", "lost", false)]
    [InlineData(MqttPreset.Homie, "homie/plug/$state", "disconnected", false)]
    [InlineData(MqttPreset.Shelly, "shellies/plug/online", "true", true)]
    [InlineData(MqttPreset.Shelly, "shellies/plug/online", "false", false)]
    [InlineData(MqttPreset.Shelly, "plug/online", "true", true)]
    [InlineData(MqttPreset.Shelly, "plug/online", "false", false)]
    [InlineData(MqttPreset.HomeAssistant, "plug/availability", "online", true)]
    [InlineData(MqttPreset.HomeAssistant, "plug/availability", "offline", false)]
    public void Translate_PresetPayload_MapsToConnectionAtReceiveTime(MqttPreset preset, string topic, string payload, bool connected)
    {
        var translation = Translator(preset).Translate(topic, Bytes(payload), Now);

        Assert.Equal(TranslationOutcome.Event, translation.Outcome);
        Assert.Equal(new ConnectionEvent("plug", connected, Now, null, Now), translation.Event);
    }

    [Theory]
    [InlineData(MqttPreset.Tasmota, "tele/plug/LWT", "online")]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/plug/availability", """{"state":"Online"}""")]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/plug/availability", """{"availability":"online"}""")]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/plug/availability", """{"state":""")]
    [InlineData(MqttPreset.Shelly, "plug/online", "1")]
    [InlineData(MqttPreset.AwsIotPresence, "$aws/events/presence/connected/plug", "not json")]
    [InlineData(MqttPreset.AwsIotPresence, "$aws/events/presence/connected/plug", """{"eventType":"disconnected","timestamp":1}""")]
    [InlineData(MqttPreset.AwsIotPresence, "$aws/events/presence/connected/plug", """{"eventType":"connected","timestamp":"soon"}""")]
    public void Translate_UnknownPayload_ReportedAsUnknown(MqttPreset preset, string topic, string payload)
        => Assert.Equal(TranslationOutcome.UnknownPayload, Translator(preset).Translate(topic, Bytes(payload), Now).Outcome);

    [Theory]
    [InlineData("init")]
    [InlineData("sleeping")]
    [InlineData("alert")]
    public void Translate_HomieNeitherUpNorDown_Ignored(string state)
        => Assert.Equal(TranslationOutcome.Ignored, Translator(MqttPreset.Homie).Translate("homie/plug/$state", Bytes(state), Now).Outcome);

    [Fact]
    public void Translate_AwsPresence_KeepsSourceTimestampAndVersion()
    {
        var translation = Translator(MqttPreset.AwsIotPresence).Translate(
            "$aws/events/presence/disconnected/186b5",
            Bytes("""{"clientId":"186b5","timestamp":1573002340451,"eventType":"disconnected","sessionIdentifier":"a4666d2a7d844ae4ac5d7b38c9cb7967","principalIdentifier":"12345678901234567890123456789012","clientInitiatedDisconnect":false,"disconnectReason":"MQTT_KEEP_ALIVE_TIMEOUT","versionNumber":0}"""),
            Now);

        Assert.Equal(new ConnectionEvent("186b5", false, DateTimeOffset.FromUnixTimeMilliseconds(1573002340451), 0, Now), translation.Event);
    }

    [Fact]
    public void Translate_HomeAssistantCustomPayloads_UsesConfiguredValues()
    {
        var options = new MqttSourceOptions { Presets = [MqttPreset.HomeAssistant] };
        options.HomeAssistant = new HomeAssistantAvailabilityOptions { Topic = "ha/{thing}/avail", PayloadAvailable = "1", PayloadNotAvailable = "0" };
        var translator = MessageTranslator.FromOptions(options);

        Assert.False(translator.Translate("ha/plug/avail", Bytes("0"), Now).Event.Connected);
        Assert.True(translator.Translate("ha/plug/avail", Bytes("1"), Now).Event.Connected);
        Assert.Equal(TranslationOutcome.UnknownPayload, translator.Translate("ha/plug/avail", Bytes("offline"), Now).Outcome);
    }

    [Fact]
    public void Translate_MappingBeforePreset_MappingWins()
    {
        var options = new MqttSourceOptions
        {
            Presets = [MqttPreset.ESPHome],
            Mappings = [new MqttTopicMapping { Topic = "{thing}/status", Up = ["alive"], Down = ["dead"] }],
        };

        Assert.False(MessageTranslator.FromOptions(options).Translate("plug/status", Bytes("dead"), Now).Event.Connected);
    }

    [Fact]
    public void SubscriptionFilters_SeveralPresets_EachFilterOnce()
    {
        var options = new MqttSourceOptions { Presets = [MqttPreset.Shelly, MqttPreset.AwsIotPresence, MqttPreset.Shelly] };

        Assert.Equal(
            ["shellies/+/online", "+/online", "$aws/events/presence/connected/+", "$aws/events/presence/disconnected/+"],
            MessageTranslator.FromOptions(options).SubscriptionFilters);
    }

    [Fact]
    public void Translate_ThingNameWithControlCharacter_InvalidThingName()
    {
        var translation = Translator(MqttPreset.ESPHome).Translate("bad\u0007name/status", Bytes("offline"), Now);

        Assert.Equal(TranslationOutcome.InvalidThingName, translation.Outcome);
        Assert.Contains("control characters", translation.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_EmptyPayload_IgnoredAsRetainedDeletion()
        => Assert.Equal(TranslationOutcome.Ignored, Translator(MqttPreset.Tasmota).Translate("tele/plug/LWT", ReadOnlySequence<byte>.Empty, Now).Outcome);

    private static MessageTranslator Translator(MqttPreset preset) => MessageTranslator.FromOptions(new MqttSourceOptions { Presets = [preset] });

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
