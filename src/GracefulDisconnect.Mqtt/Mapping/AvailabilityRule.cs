using System.Buffers;

namespace GracefulDisconnect.Mqtt;

/// <summary>One availability convention on one topic pattern: which device a topic is about and what its payload means.</summary>
internal abstract class AvailabilityRule(string name, TopicPattern pattern)
{
    /// <summary>The preset or mapping this rule comes from, as logs name it.</summary>
    public string Name { get; } = name;

    public TopicPattern Pattern { get; } = pattern;

    public abstract PayloadReading Read(ReadOnlySequence<byte> payload);
}
