namespace GracefulDisconnect.Mqtt;

/// <summary>
/// A topic with the device's name at one segment (<c>tele/{thing}/LWT</c>): the filter to subscribe to
/// (<c>tele/+/LWT</c>) and the matching of a received topic, which yields the device's name.
/// </summary>
internal sealed class TopicPattern
{
    private readonly string[] _segments;
    private readonly int _thingIndex;
    private readonly bool _multiLevelTail;

    private TopicPattern(string text, string[] segments, int thingIndex)
    {
        Text = text;
        _segments = segments;
        _thingIndex = thingIndex;
        _multiLevelTail = segments[^1] == "#";
        SubscriptionFilter = string.Join('/', segments.Select((segment, i) => i == thingIndex ? "+" : segment));
    }

    /// <summary>The pattern as configured.</summary>
    public string Text { get; }

    /// <summary>The MQTT topic filter to subscribe to.</summary>
    public string SubscriptionFilter { get; }

    public static bool TryParse(string? text, out TopicPattern? pattern, out string? problem)
    {
        pattern = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "is required; for example site/{thing}/status";
            return false;
        }

        var segments = text.Split('/');
        var thingIndex = -1;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment == MqttTopicMapping.ThingPlaceholder)
            {
                if (thingIndex >= 0)
                {
                    problem = $"'{text}' has {MqttTopicMapping.ThingPlaceholder} more than once; keep it at the one segment that names the device";
                    return false;
                }

                thingIndex = i;
            }
            else if (segment == "#" && i != segments.Length - 1)
            {
                problem = $"'{text}' has # before the last segment; # may only end a topic filter";
                return false;
            }
            else if (segment.Length > 1 && (segment.Contains('+', StringComparison.Ordinal) || segment.Contains('#', StringComparison.Ordinal)))
            {
                problem = $"'{text}' has a wildcard inside the segment '{segment}'; + and # must be a whole segment";
                return false;
            }
            else if (segment.Contains('{', StringComparison.Ordinal) || segment.Contains('}', StringComparison.Ordinal))
            {
                problem = $"'{text}' has the segment '{segment}'; the device's segment must be exactly {MqttTopicMapping.ThingPlaceholder}";
                return false;
            }
        }

        if (thingIndex < 0)
        {
            problem = $"'{text}' has no {MqttTopicMapping.ThingPlaceholder} segment; mark the segment that names the device, for example site/{MqttTopicMapping.ThingPlaceholder}/status";
            return false;
        }

        pattern = new TopicPattern(text, segments, thingIndex);
        problem = null;
        return true;
    }

    public static TopicPattern Parse(string text)
        => TryParse(text, out var pattern, out var problem) ? pattern! : throw new ArgumentException($"Topic pattern {problem}.", nameof(text));

    /// <summary>Matches a received topic; on a match, <paramref name="thing"/> is the device's segment.</summary>
    public bool TryMatch(string topic, out string thing)
    {
        thing = string.Empty;
        var span = topic.AsSpan();
        var index = 0;
        foreach (var range in span.Split('/'))
        {
            if (index >= _segments.Length)
            {
                return false;
            }

            var segment = _segments[index];
            if (segment == "#")
            {
                // '#' also matches the rest of the topic; the device's segment came before it.
                return _thingIndex < index || Fail(out thing);
            }

            var part = span[range];
            if (index == _thingIndex)
            {
                thing = part.ToString();
            }
            else if (segment != "+" && !part.SequenceEqual(segment))
            {
                return Fail(out thing);
            }

            index++;
        }

        // "a/#" also matches "a" (the parent level), as MQTT defines it.
        return index == _segments.Length || (_multiLevelTail && index == _segments.Length - 1 && _thingIndex < index) || Fail(out thing);
    }

    private static bool Fail(out string thing)
    {
        thing = string.Empty;
        return false;
    }

    public override string ToString() => Text;
}
