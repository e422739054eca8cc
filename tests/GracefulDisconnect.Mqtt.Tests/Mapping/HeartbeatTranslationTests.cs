using System.Buffers;
using System.Text;

namespace GracefulDisconnect.Mqtt.Tests.Mapping;

/// <summary>Sign-of-life topics: which are subscribed when, and that a message on one is never a connect or a disconnect.</summary>
public sealed class HeartbeatTranslationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(MqttPreset.Tasmota, "tele/plug/STATE", """{"Time":"2026-12-01T08:00:00","Uptime":"0T01:00:00","POWER":"ON"}""", "plug")]
    [InlineData(MqttPreset.Tasmota, "tele/plug/SENSOR", """{"ENERGY":{"Power":12}}""", "plug")]
    [InlineData(MqttPreset.ESPHome, "plug/sensor/temperature/state", "21.5", "plug")]
    [InlineData(MqttPreset.Zigbee2Mqtt, "zigbee2mqtt/plug", """{"state":"ON","linkquality":120}""", "plug")]
    [InlineData(MqttPreset.Homie, "homie/plug/relay/power", "true", "plug")]
    [InlineData(MqttPreset.Shelly, "plug/events/rpc", """{"method":"NotifyStatus"}""", "plug")]
    public void Translate_PresetTelemetry_IsASignOfLifeNeverAState(MqttPreset preset, string topic, string payload, string thing)
    {
        var translation = Translator(new MqttSourceOptions { Presets = [preset], PresetHeartbeats = true }).Translate(topic, Bytes(payload), Now);

        Assert.Equal(TranslationOutcome.Event, translation.Outcome);
        Assert.True(translation.Event.SignOfLife);
        Assert.Equal((thing, Now, Now), (translation.Event.ThingName, translation.Event.At, translation.Event.ReceivedAt));
    }

    [Theory]
    [InlineData("tele/plug/LWT", "Offline", false)]
    [InlineData("tele/plug/LWT", "Online", true)]
    public void Translate_AvailabilityWithHeartbeatsOn_StillAState(string topic, string payload, bool connected)
    {
        var translation = Translator(new MqttSourceOptions { Presets = [MqttPreset.Tasmota], PresetHeartbeats = true }).Translate(topic, Bytes(payload), Now);

        Assert.False(translation.Event.SignOfLife);
        Assert.Equal(connected, translation.Event.Connected);
    }

    [Fact]
    public void Translate_Zigbee2MqttAvailabilityUnderTheStateWildcard_TheAvailabilityRuleDecides()
    {
        var translation = Translator(new MqttSourceOptions { Presets = [MqttPreset.Zigbee2Mqtt], PresetHeartbeats = true })
            .Translate("zigbee2mqtt/plug/availability", Bytes("""{"state":"offline"}"""), Now);

        Assert.Equal(new ConnectionEvent("plug", false, Now, null, Now), translation.Event);
    }

    [Fact]
    public void FromOptions_Default_NoTelemetrySubscribedAndTelemetryMatchesNoRule()
    {
        var translator = Translator(new MqttSourceOptions { Presets = [MqttPreset.Tasmota] });

        Assert.Equal(["tele/+/LWT"], translator.SubscriptionFilters);
        Assert.Equal(TranslationOutcome.NoRule, translator.Translate("tele/plug/STATE", Bytes("{}"), Now).Outcome);
    }

    [Fact]
    public void FromOptions_EngineWatchesSilence_PresetTelemetrySubscribed()
    {
        var translator = MessageTranslator.FromOptions(new MqttSourceOptions { Presets = [MqttPreset.Tasmota] }, watchesSilence: true);

        Assert.Equal(["tele/+/LWT", "tele/+/STATE", "tele/+/SENSOR"], translator.SubscriptionFilters);
    }

    [Fact]
    public void FromOptions_PresetHeartbeatsOff_WinsOverSilenceDetection()
    {
        var translator = MessageTranslator.FromOptions(new MqttSourceOptions { Presets = [MqttPreset.Tasmota], PresetHeartbeats = false }, watchesSilence: true);

        Assert.Equal(["tele/+/LWT"], translator.SubscriptionFilters);
    }

    [Theory]
    [InlineData(MqttPreset.Tasmota)]
    [InlineData(MqttPreset.ESPHome)]
    [InlineData(MqttPreset.Zigbee2Mqtt)]
    [InlineData(MqttPreset.Homie)]
    [InlineData(MqttPreset.Shelly)]
    public void PresetTelemetry_NeverOverlapsItsOwnAvailabilityFilters(MqttPreset preset)
    {
        // The broker would deliver an availability message once per matching subscription: a disconnect counted twice.
        var availability = Translator(new MqttSourceOptions { Presets = [preset] }).SubscriptionFilters;
        var heartbeats = PresetHeartbeats.For(preset).SelectMany(rule => rule.Pattern.SubscriptionFilters).ToList();

        Assert.NotEmpty(heartbeats);
        Assert.DoesNotContain(heartbeats, heartbeat => availability.Any(filter => TopicFilterOverlap.Overlaps(heartbeat, filter)));
    }

    [Fact]
    public void Translate_Zigbee2MqttMultiLevelName_NotAPresetSignOfLife()
        => Assert.Equal(
            TranslationOutcome.NoRule,
            Translator(new MqttSourceOptions { Presets = [MqttPreset.Zigbee2Mqtt], PresetHeartbeats = true }).Translate("zigbee2mqtt/kitchen/lamp", Bytes("{}"), Now).Outcome);

    [Fact]
    public void FromOptions_OwnHeartbeatTopicOverAnAvailabilityTopic_ReportedAsOverlap()
    {
        var translator = Translator(new MqttSourceOptions
        {
            Mappings = [new MqttTopicMapping { Topic = "site/{thing}/status", Up = ["up"], Down = ["down"] }],
            HeartbeatTopics = ["site/{thing}/#", "site/{thing}/data/#"],
        });

        Assert.Equal([("site/+/#", "site/+/status")], translator.Overlaps);
    }

    [Theory]
    [InlineData(MqttPreset.HomeAssistant)]
    [InlineData(MqttPreset.AwsIotPresence)]
    public void FromOptions_PresetWithoutKnownTelemetry_SubscribesItsAvailabilityOnly(MqttPreset preset)
    {
        var withHeartbeats = Translator(new MqttSourceOptions { Presets = [preset], PresetHeartbeats = true });

        Assert.Equal(Translator(new MqttSourceOptions { Presets = [preset] }).SubscriptionFilters, withHeartbeats.SubscriptionFilters);
    }

    [Fact]
    public void Translate_OwnHeartbeatTopic_AnyPayloadIsASignOfLife()
    {
        var translator = Translator(new MqttSourceOptions { Presets = [MqttPreset.Tasmota], HeartbeatTopics = ["site/{thing}/#"] });

        Assert.Contains("site/+/#", translator.SubscriptionFilters);
        var translation = translator.Translate("site/pump/flow/litres", Bytes("not even json"), Now);
        Assert.True(translation.Event.SignOfLife);
        Assert.Equal("pump", translation.Event.ThingName);
        Assert.Equal("heartbeat (site/{thing}/#)", translation.Rule);
    }

    [Fact]
    public void Translate_EmptyTelemetry_IgnoredNotASignOfLife()
        => Assert.Equal(
            TranslationOutcome.Ignored,
            Translator(new MqttSourceOptions { Presets = [MqttPreset.Tasmota], PresetHeartbeats = true }).Translate("tele/plug/STATE", ReadOnlySequence<byte>.Empty, Now).Outcome);

    [Fact]
    public void Translate_TelemetryOfAnInvalidName_Reported()
    {
        var translation = Translator(new MqttSourceOptions { Presets = [MqttPreset.ESPHome], PresetHeartbeats = true })
            .Translate("bad\u0007name/sensor/t/state", Bytes("1"), Now);

        Assert.Equal(TranslationOutcome.InvalidThingName, translation.Outcome);
    }

    [Fact]
    public void Translate_ShellyCommandTopic_NotASignOfLife()
        => Assert.Equal(
            TranslationOutcome.NoRule,
            Translator(new MqttSourceOptions { Presets = [MqttPreset.Shelly], PresetHeartbeats = true }).Translate("plug/rpc", Bytes("""{"method":"Switch.Set"}"""), Now).Outcome);

    private static MessageTranslator Translator(MqttSourceOptions options) => MessageTranslator.FromOptions(options);

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
