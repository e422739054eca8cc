namespace GracefulDisconnect.Mqtt;

/// <summary>The rules each preset stands for, with the topics and payloads its ecosystem publishes.</summary>
internal static class PresetRules
{
    public static IEnumerable<AvailabilityRule> For(MqttPreset preset, HomeAssistantAvailabilityOptions homeAssistant) => preset switch
    {
        MqttPreset.Tasmota => [Plain("tasmota", "tele/{thing}/LWT", "Online", "Offline")],
        MqttPreset.ESPHome => [Plain("esphome", "{thing}/status", "online", "offline")],
        MqttPreset.Zigbee2Mqtt =>
        [
            // 2.x publishes {"state":"online"}; 1.x (legacy availability) published plain online/offline. Friendly
            // names may contain '/' (kitchen/lamp), which puts them over several topic levels.
            new MappedAvailabilityRule(
                "zigbee2mqtt",
                TopicPattern.Parse("zigbee2mqtt/{thing*}/availability"),
                up: ["online"],
                down: ["offline"],
                jsonField: "state",
                allowPlainText: true),
        ],
        MqttPreset.Homie =>
        [
            // lost is the broker's will, disconnected a clean goodbye: both mean down. init, sleeping and alert say
            // nothing about reachability.
            new MappedAvailabilityRule(
                "homie",
                TopicPattern.Parse("homie/{thing}/$state"),
                up: ["ready"],
                down: ["lost", "disconnected"],
                ignore: ["init", "sleeping", "alert"]),
        ],
        MqttPreset.Shelly =>
        [
            Plain("shelly-gen1", "shellies/{thing}/online", "true", "false"),
            Plain("shelly-gen2", "{thing}/online", "true", "false"),
        ],
        MqttPreset.HomeAssistant => [Plain("home-assistant", homeAssistant.Topic, homeAssistant.PayloadAvailable, homeAssistant.PayloadNotAvailable)],
        MqttPreset.AwsIotPresence => [new AwsPresenceRule(connected: true), new AwsPresenceRule(connected: false)],
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown MQTT preset."),
    };

    private static MappedAvailabilityRule Plain(string name, string topic, string up, string down)
        => new(name, TopicPattern.Parse(topic), [up], [down]);
}
