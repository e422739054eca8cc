using System.Buffers;
using System.Text.Json;

namespace GracefulDisconnect.Mqtt;

/// <summary>A rule that compares the payload (or one JSON field of it) with lists of up, down and ignored values.</summary>
internal sealed class MappedAvailabilityRule : AvailabilityRule
{
    private readonly HashSet<string> _up;
    private readonly HashSet<string> _down;
    private readonly HashSet<string> _ignore;
    private readonly string[]? _jsonPath;
    private readonly bool _allowPlainText;

    public MappedAvailabilityRule(
        string name,
        TopicPattern pattern,
        IEnumerable<string> up,
        IEnumerable<string> down,
        IEnumerable<string>? ignore = null,
        string? jsonField = null,
        bool allowPlainText = false,
        bool caseSensitive = true)
        : base(name, pattern)
    {
        var comparer = caseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        _up = new HashSet<string>(up, comparer);
        _down = new HashSet<string>(down, comparer);
        _ignore = new HashSet<string>(ignore ?? [], comparer);
        _jsonPath = string.IsNullOrEmpty(jsonField) ? null : jsonField.Split('.');
        _allowPlainText = allowPlainText;
    }

    public static MappedAvailabilityRule FromMapping(MqttTopicMapping mapping, int index)
        => new(
            $"mapping {index} ({mapping.Topic})",
            TopicPattern.Parse(mapping.Topic),
            mapping.Up,
            mapping.Down,
            mapping.Ignore,
            mapping.JsonField,
            mapping.AllowPlainText,
            mapping.CaseSensitive);

    public override PayloadReading Read(ReadOnlySequence<byte> payload)
    {
        if (!PayloadText.TryDecode(payload, out var text))
        {
            return PayloadReading.Unknown;
        }

        if (_jsonPath is not null)
        {
            switch (TryReadJsonField(text, _jsonPath, out var value))
            {
                case JsonRead.Found:
                    text = value;
                    break;
                case JsonRead.NotAnObject when _allowPlainText:
                    break;
                default:
                    return PayloadReading.Unknown;
            }
        }

        text = text.Trim();
        if (_down.Contains(text))
        {
            return new PayloadReading(PayloadMeaning.Down);
        }

        if (_up.Contains(text))
        {
            return new PayloadReading(PayloadMeaning.Up);
        }

        return _ignore.Contains(text) ? new PayloadReading(PayloadMeaning.Ignored) : PayloadReading.Unknown;
    }

    private static JsonRead TryReadJsonField(string text, string[] path, out string value)
    {
        value = string.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return JsonRead.NotAnObject;
        }

        using (document)
        {
            var element = document.RootElement;
            if (element.ValueKind != JsonValueKind.Object)
            {
                return JsonRead.NotAnObject;
            }

            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return JsonRead.Missing;
                }
            }

            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    value = element.GetString() ?? string.Empty;
                    return JsonRead.Found;
                case JsonValueKind.True or JsonValueKind.False:
                    value = element.GetBoolean() ? "true" : "false";
                    return JsonRead.Found;
                case JsonValueKind.Number:
                    value = element.GetRawText();
                    return JsonRead.Found;
                default:
                    return JsonRead.Missing;
            }
        }
    }

    private enum JsonRead
    {
        Found,
        Missing,
        NotAnObject,
    }
}
