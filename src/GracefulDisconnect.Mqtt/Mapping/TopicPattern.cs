namespace GracefulDisconnect.Mqtt;

/// <summary>
/// A topic with the device's name at one segment (<c>tele/{thing}/LWT</c>), or spanning one or more segments
/// (<c>zigbee2mqtt/{thing*}/availability</c>, for names such as <c>kitchen/lamp</c>): the filters to subscribe to
/// (<c>tele/+/LWT</c>) and the matching of a received topic, which yields the device's name.
/// </summary>
internal sealed class TopicPattern
{
    /// <summary>How many segments a <c>{thing*}</c> name may span: one subscription per depth, each as narrow as <c>+</c>.</summary>
    public const int MaxThingSegments = 4;

    private readonly string[] _before;
    private readonly string[] _after;
    private readonly bool _multiSegmentThing;
    private readonly bool _multiLevelTail;

    private TopicPattern(string text, string[] segments, int thingIndex)
    {
        Text = text;
        _multiSegmentThing = segments[thingIndex] == MqttTopicMapping.MultiSegmentThingPlaceholder;
        _before = segments[..thingIndex];
        _after = segments[(thingIndex + 1)..];
        _multiLevelTail = _after.Length > 0 && _after[^1] == "#";
        var depths = _multiSegmentThing ? MaxThingSegments : 1;
        SubscriptionFilters = [.. Enumerable.Range(1, depths).Select(depth => string.Join('/', [.. _before, .. Enumerable.Repeat("+", depth), .. _after]))];
    }

    /// <summary>The pattern as configured.</summary>
    public string Text { get; }

    /// <summary>The MQTT topic filters to subscribe to: one, or one per depth of a <c>{thing*}</c> name.</summary>
    public IReadOnlyList<string> SubscriptionFilters { get; }

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
            if (segment is MqttTopicMapping.ThingPlaceholder or MqttTopicMapping.MultiSegmentThingPlaceholder)
            {
                if (thingIndex >= 0)
                {
                    problem = $"'{text}' names the device more than once; keep one {MqttTopicMapping.ThingPlaceholder} (or {MqttTopicMapping.MultiSegmentThingPlaceholder}) segment";
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
                problem = $"'{text}' has the segment '{segment}'; the device's segment must be exactly {MqttTopicMapping.ThingPlaceholder} or {MqttTopicMapping.MultiSegmentThingPlaceholder}";
                return false;
            }
        }

        if (thingIndex < 0)
        {
            problem = $"'{text}' has no {MqttTopicMapping.ThingPlaceholder} segment; mark the segment that names the device, for example site/{MqttTopicMapping.ThingPlaceholder}/status";
            return false;
        }

        // Which segments would be the name's and which the '#''s is ambiguous; one of them must be fixed.
        if (segments[thingIndex] == MqttTopicMapping.MultiSegmentThingPlaceholder && segments[^1] == "#")
        {
            problem = $"'{text}' has both {MqttTopicMapping.MultiSegmentThingPlaceholder} and #; end the topic with fixed segments after the name";
            return false;
        }

        pattern = new TopicPattern(text, segments, thingIndex);
        problem = null;
        return true;
    }

    public static TopicPattern Parse(string text)
        => TryParse(text, out var pattern, out var problem) ? pattern! : throw new ArgumentException($"Topic pattern {problem}.", nameof(text));

    /// <summary>Matches a received topic; on a match, <paramref name="thing"/> is the device's name from it.</summary>
    public bool TryMatch(string topic, out string thing)
    {
        thing = string.Empty;
        var parts = topic.Split('/');
        if (!Matches(parts, 0, _before))
        {
            return false;
        }

        int thingLength;
        if (_multiLevelTail)
        {
            // "a/{thing}/#" also matches "a/x" (the parent level), as MQTT defines it.
            var fixedAfter = _after.Length - 1;
            if (parts.Length < _before.Length + 1 + fixedAfter || !Matches(parts, _before.Length + 1, _after[..fixedAfter]))
            {
                return false;
            }

            thingLength = 1;
        }
        else
        {
            thingLength = parts.Length - _before.Length - _after.Length;
            var allowed = _multiSegmentThing ? MaxThingSegments : 1;
            if (thingLength < 1 || thingLength > allowed || !Matches(parts, _before.Length + thingLength, _after))
            {
                return false;
            }
        }

        var nameParts = parts.AsSpan(_before.Length, thingLength);
        foreach (var part in nameParts)
        {
            // MQTT allows empty levels ("a//b"); a device name made of one is no name.
            if (part.Length == 0)
            {
                return false;
            }
        }

        thing = string.Join('/', nameParts!);
        return true;
    }

    private static bool Matches(string[] parts, int start, string[] expected)
    {
        if (parts.Length < start + expected.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != "+" && expected[i] != "#" && expected[i] != parts[start + i])
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;
}
