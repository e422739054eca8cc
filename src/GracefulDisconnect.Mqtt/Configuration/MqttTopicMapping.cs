namespace GracefulDisconnect.Mqtt;

/// <summary>
/// Your own availability convention: a topic with the device at a named segment, and the payloads that mean up and
/// down. For example <c>Topic = "site/{thing}/status"</c>, <c>Up = ["online"]</c>, <c>Down = ["offline"]</c>.
/// </summary>
public sealed class MqttTopicMapping
{
    /// <summary>The placeholder that marks the segment holding the device's name.</summary>
    public const string ThingPlaceholder = "{thing}";

    /// <summary>
    /// The placeholder for a device name that may span several segments (up to 4), such as Zigbee2MQTT's
    /// <c>kitchen/lamp</c>: the name is the segments joined with <c>/</c>.
    /// </summary>
    public const string MultiSegmentThingPlaceholder = "{thing*}";

    /// <summary>
    /// The topic, one segment of which is exactly <c>{thing}</c> (or <c>{thing*}</c> for names of up to 4 segments);
    /// other segments are literal or the single-level wildcard <c>+</c>, and the last may be <c>#</c> (not with
    /// <c>{thing*}</c>). Required.
    /// </summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Payloads (or JSON field values) that mean the device is up. At least one is required.</summary>
    public IList<string> Up { get; set; } = [];

    /// <summary>Payloads (or JSON field values) that mean the device is down. At least one is required.</summary>
    public IList<string> Down { get; set; } = [];

    /// <summary>Payloads that are neither up nor down and are skipped without a warning (Homie's <c>sleeping</c>, say).</summary>
    public IList<string> Ignore { get; set; } = [];

    /// <summary>
    /// When set, the payload is a JSON object and this field (a dotted path for nested objects, e.g. <c>status.state</c>)
    /// holds the value compared with <see cref="Up"/> and <see cref="Down"/>; string, boolean and number values are
    /// compared by their text. The default, <see langword="null"/>, compares the whole payload.
    /// </summary>
    public string? JsonField { get; set; }

    /// <summary>
    /// With <see cref="JsonField"/> set, whether a payload that is not a JSON object is compared as plain text instead
    /// of being reported as unknown (Zigbee2MQTT 1.x sent plain <c>online</c>). Default <see langword="false"/>.
    /// </summary>
    public bool AllowPlainText { get; set; }

    /// <summary>Whether payloads are compared case-sensitively. Default <see langword="true"/>, as the conventions define them.</summary>
    public bool CaseSensitive { get; set; } = true;
}
