namespace GracefulDisconnect.Mqtt;

/// <summary>
/// The names of the presets as a command line or a person writes them (<c>tasmota</c>, <c>zigbee2mqtt</c>,
/// <c>home-assistant</c>, <c>aws-presence</c>); configuration binding takes the enum names as well.
/// </summary>
public static class MqttPresetNames
{
    private static readonly (string Name, MqttPreset Preset)[] Known =
    [
        ("tasmota", MqttPreset.Tasmota),
        ("esphome", MqttPreset.ESPHome),
        ("zigbee2mqtt", MqttPreset.Zigbee2Mqtt),
        ("homie", MqttPreset.Homie),
        ("shelly", MqttPreset.Shelly),
        ("home-assistant", MqttPreset.HomeAssistant),
        ("aws-presence", MqttPreset.AwsIotPresence),
    ];

    /// <summary>Every preset's name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Known.Select(known => known.Name)];

    /// <summary>The name of a preset.</summary>
    /// <param name="preset">The preset.</param>
    /// <returns>Its name, for example <c>aws-presence</c>.</returns>
    public static string NameOf(MqttPreset preset)
        => Known.FirstOrDefault(known => known.Preset == preset).Name
            ?? throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown MQTT preset.");

    /// <summary>Reads a preset's name, ignoring case; the enum names (<c>AwsIotPresence</c>) are accepted too.</summary>
    /// <param name="name">The name.</param>
    /// <param name="preset">The preset, when the name is known.</param>
    /// <returns>Whether the name is known. If not, <see cref="All"/> lists the known ones.</returns>
    public static bool TryParse(string? name, out MqttPreset preset)
    {
        foreach (var known in Known)
        {
            if (string.Equals(known.Name, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(known.Preset.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                preset = known.Preset;
                return true;
            }
        }

        preset = default;
        return false;
    }
}
