namespace GracefulDisconnect.Mqtt;

/// <summary>
/// A topic whose messages, whatever their payload, say only that their device is alive (Tasmota's <c>tele/x/STATE</c>):
/// a sign of life for silence detection, never a connect or a disconnect.
/// </summary>
internal sealed class HeartbeatRule(string name, TopicPattern pattern)
{
    /// <summary>The preset or option this rule comes from, as logs name it.</summary>
    public string Name { get; } = name;

    public TopicPattern Pattern { get; } = pattern;
}
