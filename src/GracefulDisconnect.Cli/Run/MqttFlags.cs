using System.CommandLine;
using System.CommandLine.Parsing;
using GracefulDisconnect.Mqtt;

namespace GracefulDisconnect.Cli.Run;

/// <summary>
/// The flags of <c>run</c>'s MQTT source: <c>--mqtt</c> with <c>--preset</c> (repeatable) and/or a generic mapping
/// (<c>--topic</c>, <c>--up</c>, <c>--down</c>, <c>--field</c>). They are checked here, one clear line each, so a wrong
/// command line exits 2 before any store is opened; the library's options validator still checks the rest on start.
/// </summary>
internal sealed class MqttFlags
{
    private readonly Option<string?> _mqtt = new("--mqtt")
    {
        Description = "Read availability messages from this MQTT broker instead of --input: mqtt[s]://[user:pass@]host[:port] (the password may also come from GracefulDisconnect__Mqtt__Password).",
        HelpName = "uri",
    };

    private readonly Option<string[]> _preset = new("--preset")
    {
        Description = $"An availability convention to subscribe to (repeatable): {string.Join(", ", MqttPresetNames.All)}.",
        HelpName = "name",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _topic = new("--topic")
    {
        Description = "Your own availability topic, with {thing} at the device's segment, e.g. 'site/{thing}/status' (needs --up and --down).",
        HelpName = "filter",
    };

    private readonly Option<string[]> _heartbeatTopic = new("--heartbeat-topic")
    {
        Description = "A topic whose every message counts as the device being heard from, never as up or down, for --silent-after (repeatable), e.g. 'site/{thing}/data/#' (keep it clear of availability topics: the broker would deliver those twice). The presets' own telemetry (Tasmota's tele/{thing}/STATE, ...) is read anyway when --silent-after is given.",
        HelpName = "filter",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _clientId = new("--mqtt-client-id")
    {
        Description = "The MQTT client id; keep it the same across restarts (the broker keeps our session under it) and unique per process. Default gracefuldisconnect-<machine name>.",
        HelpName = "id",
    };

    private readonly Option<string[]> _up = new("--up") { Description = "A --topic payload (or --field value) that means the device is up (repeatable).", HelpName = "value" };
    private readonly Option<string[]> _down = new("--down") { Description = "A --topic payload (or --field value) that means the device is down (repeatable).", HelpName = "value" };
    private readonly Option<string?> _field = new("--field") { Description = "With --topic: compare this (dotted) field of a JSON payload instead of the whole payload.", HelpName = "path" };

    /// <summary>Adds the flags to <c>run</c>, with the checks that span several of them (and <c>--input</c>, <c>--exit-when-idle</c>).</summary>
    public void AddTo(Command command, Option<string> input, Option<bool> exitWhenIdle)
    {
        foreach (var option in (Option[])[_mqtt, _preset, _topic, _up, _down, _field, _heartbeatTopic, _clientId])
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result => Validate(result, input, exitWhenIdle));
    }

    /// <summary>The MQTT source the command line asks for, or null when events come from --input.</summary>
    public MqttSettings? Read(ParseResult parsed)
    {
        if (parsed.GetValue(_mqtt) is not { } broker)
        {
            return null;
        }

        var presets = new List<MqttPreset>();
        foreach (var name in parsed.GetValue(_preset) ?? [])
        {
            // Validated already; a repeated name subscribes once.
            if (MqttPresetNames.TryParse(name, out var preset) && !presets.Contains(preset))
            {
                presets.Add(preset);
            }
        }

        MqttTopicMapping? mapping = null;
        if (parsed.GetValue(_topic) is { } topic)
        {
            mapping = new MqttTopicMapping
            {
                Topic = topic,
                Up = [.. parsed.GetValue(_up) ?? []],
                Down = [.. parsed.GetValue(_down) ?? []],
                JsonField = parsed.GetValue(_field),
            };
        }

        return new MqttSettings(broker, presets, mapping)
        {
            ClientId = parsed.GetValue(_clientId),
            HeartbeatTopics = [.. (parsed.GetValue(_heartbeatTopic) ?? []).Distinct(StringComparer.Ordinal)],
        };
    }

    private void Validate(CommandResult result, Option<string> input, Option<bool> exitWhenIdle)
    {
        var mqtt = result.GetResult(_mqtt);
        if (mqtt is null)
        {
            foreach (var option in (Option[])[_preset, _topic, _up, _down, _field, _heartbeatTopic, _clientId])
            {
                if (Given(result, option))
                {
                    result.AddError($"{option.Name} needs --mqtt.");
                }
            }

            return;
        }

        if (Given(result, input))
        {
            result.AddError("--mqtt and --input are two event sources; give one of them.");
        }

        if (Given(result, exitWhenIdle))
        {
            result.AddError("--exit-when-idle needs an input that ends; an MQTT subscription never does (stop run with SIGTERM or Ctrl+C).");
        }

        if (BrokerProblem(mqtt.GetValueOrDefault<string?>()) is { } problem)
        {
            result.AddError($"--mqtt: {problem}");
        }

        foreach (var name in result.GetResult(_preset)?.GetValueOrDefault<string[]>() ?? [])
        {
            if (!MqttPresetNames.TryParse(name, out _))
            {
                result.AddError($"--preset: '{name}' is not a preset; use one of {string.Join(", ", MqttPresetNames.All)}.");
            }
        }

        ValidateMapping(result);
        ValidateHeartbeatTopics(result);
        if (!Given(result, _preset) && !Given(result, _topic))
        {
            result.AddError("--mqtt needs --preset <name> (repeatable) or --topic <filter> --up <value> --down <value>.");
        }
    }

    private void ValidateMapping(CommandResult result)
    {
        var topic = result.GetResult(_topic)?.GetValueOrDefault<string?>();
        if (topic is null)
        {
            foreach (var option in (Option[])[_up, _down, _field])
            {
                if (Given(result, option))
                {
                    result.AddError($"{option.Name} needs --topic.");
                }
            }

            return;
        }

        if (!topic.Split('/').Any(segment => segment is MqttTopicMapping.ThingPlaceholder or MqttTopicMapping.MultiSegmentThingPlaceholder))
        {
            result.AddError($"--topic: '{topic}' has no {MqttTopicMapping.ThingPlaceholder} segment; mark where the device's name is, e.g. 'site/{{thing}}/status'.");
        }

        if (!Given(result, _up) || !Given(result, _down))
        {
            result.AddError("--topic needs --up <value> and --down <value> (the payloads that mean up and down).");
        }
    }

    // The common mistakes, one line each; the library's validator checks the rest of the filter syntax on start.
    private void ValidateHeartbeatTopics(CommandResult result)
    {
        foreach (var topic in result.GetResult(_heartbeatTopic)?.GetValueOrDefault<string[]>() ?? [])
        {
            var segments = topic.Split('/');
            if (!segments.Any(segment => segment is MqttTopicMapping.ThingPlaceholder or MqttTopicMapping.MultiSegmentThingPlaceholder))
            {
                result.AddError($"--heartbeat-topic: '{topic}' has no {MqttTopicMapping.ThingPlaceholder} segment; mark where the device's name is, e.g. 'site/{{thing}}/#'.");
            }
            else if (Array.IndexOf(segments, "#") is >= 0 and var hash && hash != segments.Length - 1)
            {
                result.AddError($"--heartbeat-topic: '{topic}' has # before the last segment; # may only end a topic filter.");
            }
        }
    }

    // An option left to its default (--input's "-") was not given.
    private static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    // Never quotes the value: it may hold a password.
    private static string? BrokerProblem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            return "not a broker URI; write it as mqtt://host[:port] or mqtts://[user:pass@]host[:port].";
        }

        if (uri.Scheme is not ("mqtt" or "mqtts"))
        {
            return $"the scheme '{uri.Scheme}' is not mqtt:// (plain TCP) or mqtts:// (TLS).";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "the URI has no host; write it as mqtt://host[:port].";
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return "give only scheme, host and port (no path, query or fragment), e.g. mqtt://localhost:1883.";
        }

        return null;
    }
}
