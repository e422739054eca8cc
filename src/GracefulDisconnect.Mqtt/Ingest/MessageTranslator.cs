using System.Buffers;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// Turns a received topic and payload into a connection event through the first rule whose topic matches. MQTT
/// messages carry no time of their own (AWS presence events aside), so the event happened when it was received.
/// </summary>
internal sealed class MessageTranslator(IReadOnlyList<AvailabilityRule> rules)
{
    public IReadOnlyList<AvailabilityRule> Rules { get; } = rules;

    /// <summary>The filters to subscribe to, each once.</summary>
    public IReadOnlyList<string> SubscriptionFilters { get; } = [.. rules.SelectMany(rule => rule.Pattern.SubscriptionFilters).Distinct(StringComparer.Ordinal)];

    public static MessageTranslator FromOptions(MqttSourceOptions options)
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

        return new MessageTranslator(rules);
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

        return new Translation(TranslationOutcome.NoRule);
    }
}
