using System.Buffers;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// Turns a received topic and payload into a connection event through the first rule whose topic matches. MQTT
/// messages carry no time of their own (AWS presence events aside), so the event happened when it was received.
/// </summary>
internal sealed class MessageTranslator(IReadOnlyList<AvailabilityRule> rules, IReadOnlyList<HeartbeatRule>? heartbeats = null)
{
    public IReadOnlyList<AvailabilityRule> Rules { get; } = rules;

    public IReadOnlyList<HeartbeatRule> Heartbeats { get; } = heartbeats ?? [];

    /// <summary>
    /// Your own sign-of-life filters that some availability topic also matches, with that availability filter: the
    /// broker delivers a message on such a topic once per subscription. (The presets' are chosen not to.)
    /// </summary>
    public IReadOnlyList<(string Heartbeat, string Availability)> Overlaps { get; private init; } = [];

    /// <summary>The filters to subscribe to, each once.</summary>
    public IReadOnlyList<string> SubscriptionFilters { get; } =
    [
        .. rules.SelectMany(rule => rule.Pattern.SubscriptionFilters)
            .Concat((heartbeats ?? []).SelectMany(rule => rule.Pattern.SubscriptionFilters))
            .Distinct(StringComparer.Ordinal),
    ];

    /// <param name="options">The source's options.</param>
    /// <param name="watchesSilence">Whether the engine watches some device for silence: the default of <see cref="MqttSourceOptions.PresetHeartbeats"/>.</param>
    public static MessageTranslator FromOptions(MqttSourceOptions options, bool watchesSilence = false)
    {
        // Your own mappings first: they are the more specific, and may deliberately override a preset's topic.
        var rules = new List<AvailabilityRule>();
        for (var i = 0; i < options.Mappings.Count; i++)
        {
            rules.Add(MappedAvailabilityRule.FromMapping(options.Mappings[i], i));
        }

        foreach (var preset in options.Presets.Distinct())
        {
            rules.AddRange(PresetRules.For(preset, options.HomeAssistant));
        }

        var heartbeats = new List<HeartbeatRule>();
        var overlaps = new List<(string, string)>();
        foreach (var topic in options.HeartbeatTopics)
        {
            var rule = new HeartbeatRule($"heartbeat ({topic})", TopicPattern.Parse(topic));
            heartbeats.Add(rule);
            foreach (var heartbeat in rule.Pattern.SubscriptionFilters)
            {
                foreach (var availability in rules.SelectMany(r => r.Pattern.SubscriptionFilters))
                {
                    if (TopicFilterOverlap.Overlaps(heartbeat, availability))
                    {
                        overlaps.Add((heartbeat, availability));
                    }
                }
            }
        }

        if (options.PresetHeartbeats ?? watchesSilence)
        {
            foreach (var preset in options.Presets.Distinct())
            {
                heartbeats.AddRange(PresetHeartbeats.For(preset));
            }
        }

        return new MessageTranslator(rules, heartbeats) { Overlaps = [.. overlaps.Distinct()] };
    }

    public Translation Translate(string topic, ReadOnlySequence<byte> payload, DateTimeOffset receivedAt)
    {
        foreach (var rule in Rules)
        {
            if (!rule.Pattern.TryMatch(topic, out var thing))
            {
                continue;
            }

            if (!ThingName.IsValid(thing, out var problem))
            {
                return new Translation(TranslationOutcome.InvalidThingName, Rule: rule.Name, Thing: thing, Problem: problem);
            }

            // A zero-length publish deletes a retained message; it says nothing about the device.
            if (payload.IsEmpty)
            {
                return new Translation(TranslationOutcome.Ignored, Rule: rule.Name, Thing: thing);
            }

            var reading = rule.Read(payload);
            return reading.Meaning switch
            {
                PayloadMeaning.Up or PayloadMeaning.Down => new Translation(
                    TranslationOutcome.Event,
                    new ConnectionEvent(thing, reading.Meaning == PayloadMeaning.Up, reading.At ?? receivedAt, reading.Version, receivedAt),
                    rule.Name,
                    thing),
                PayloadMeaning.Ignored => new Translation(TranslationOutcome.Ignored, Rule: rule.Name, Thing: thing),
                _ => new Translation(TranslationOutcome.UnknownPayload, Rule: rule.Name, Thing: thing),
            };
        }

        // Availability first: a topic both could match (site/x/status under an own site/{thing}/#) says more than
        // "alive". A sign of life is forwarded whatever its payload, but never as a state: Connected is not read.
        foreach (var heartbeat in Heartbeats)
        {
            if (!heartbeat.Pattern.TryMatch(topic, out var thing))
            {
                continue;
            }

            if (!ThingName.IsValid(thing, out var problem))
            {
                return new Translation(TranslationOutcome.InvalidThingName, Rule: heartbeat.Name, Thing: thing, Problem: problem);
            }

            // A zero-length publish deletes a retained message, which anyone may do: not the device speaking.
            if (payload.IsEmpty)
            {
                return new Translation(TranslationOutcome.Ignored, Rule: heartbeat.Name, Thing: thing);
            }

            return new Translation(
                TranslationOutcome.Event,
                new ConnectionEvent(thing, Connected: true, receivedAt, ReceivedAt: receivedAt) { SignOfLife = true },
                heartbeat.Name,
                thing);
        }

        return new Translation(TranslationOutcome.NoRule);
    }
}
